"""Redundancy across Availability Zones (RL1xx)."""
from .aurora_single_instance import AuroraSingleInstance
from .rds_single_az import RdsSingleAz

RULES = [RdsSingleAz, AuroraSingleInstance]
