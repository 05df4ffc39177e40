"""Graph walks shared by several rules (resolved once, reused)."""
