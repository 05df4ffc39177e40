"""Logical attributes per service: each setting spelled once per format, with each format's default."""
