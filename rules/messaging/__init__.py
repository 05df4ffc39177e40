"""messaging rules."""

RULES: list = []
