"""Redundancy across Availability Zones (RL1xx)."""
from .asg_single_az import AsgSingleAz
from .rds_single_az import RdsSingleAz

RULES = [RdsSingleAz, AsgSingleAz]
