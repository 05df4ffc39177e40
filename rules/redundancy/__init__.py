"""Redundancy across Availability Zones (RL1xx)."""
from .asg_single_az import AsgSingleAz
from .aurora_instances_same_az import AuroraInstancesSameAz
from .aurora_single_instance import AuroraSingleInstance
from .efs_one_zone import EfsOneZone
from .elasticache_no_failover import ElasticacheNoFailover
from .elasticache_single_node import ElasticacheSingleNode
from .lb_single_az import LbSingleAz
from .memcached_not_durable import MemcachedNotDurable
from .nat_gateway_single_az import NatGatewaySingleAz
from .rds_multi_az_az_pinned import RdsMultiAzAzPinned
from .rds_replica_single_az import RdsReplicaSingleAz
from .rds_single_az import RdsSingleAz
from .vpn_single_customer_gateway import VpnSingleCustomerGateway
from .vpn_static_routing import VpnStaticRouting

RULES = [RdsSingleAz, AuroraSingleInstance, ElasticacheNoFailover, ElasticacheSingleNode, AsgSingleAz, LbSingleAz,
         NatGatewaySingleAz, EfsOneZone, AuroraInstancesSameAz, VpnSingleCustomerGateway, MemcachedNotDurable,
         RdsReplicaSingleAz, RdsMultiAzAzPinned, VpnStaticRouting]
