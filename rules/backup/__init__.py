"""backup rules."""

RULES: list = []
