"""Redundancy across Availability Zones (RL1xx)."""
from .rds_single_az import RdsSingleAz

RULES = [RdsSingleAz]
