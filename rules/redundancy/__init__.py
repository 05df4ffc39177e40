"""Redundancy across Availability Zones (RL1xx)."""
from .asg_single_az import AsgSingleAz
from .lb_single_az import LbSingleAz
from .nat_gateway_single_az import NatGatewaySingleAz
from .rds_single_az import RdsSingleAz

RULES = [RdsSingleAz, AsgSingleAz, LbSingleAz, NatGatewaySingleAz]
