"""dr rules."""

RULES: list = []
