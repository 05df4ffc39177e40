"""deployment rules."""

RULES: list = []
