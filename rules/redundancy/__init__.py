"""Redundancy across Availability Zones (RL1xx)."""
from .aurora_single_instance import AuroraSingleInstance
from .elasticache_no_failover import ElasticacheNoFailover
from .rds_single_az import RdsSingleAz

RULES = [RdsSingleAz, AuroraSingleInstance, ElasticacheNoFailover]
