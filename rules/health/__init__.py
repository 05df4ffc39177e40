"""health rules."""

RULES: list = []
