"""deletion rules."""

RULES: list = []
