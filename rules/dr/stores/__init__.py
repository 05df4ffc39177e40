"""The data stores of a configuration and the recovery options each one declares, per scenario.

One reader per kind of store (databases.py, files.py, caches.py, buckets.py) turns what the configuration
says (Multi-AZ, replicas, point-in-time recovery, AWS Backup plans and their copies, global tables and
clusters, replication) into `Option`s for the three scenarios, and names what would close a gap (`Gap`,
with a Fix where it is mechanical). Values that cannot be decided make an option `maybe`, never a missing
one.
"""
from __future__ import annotations

from typing import Callable, Optional

from rlint.model import Resource
from rlint.rules.attrs import aurora as au
from rlint.rules.attrs import dynamodb as ddb
from rlint.rules.attrs import efs
from rlint.rules.attrs import elasticache as ec
from rlint.rules.attrs import rds
from rlint.rules.attrs import s3
from rlint.rules.base import RuleContext
from rlint.rules.data_value import worth_keeping
from rlint.rules.dr.stores.base import Store
from rlint.rules.dr.stores.buckets import bucket
from rlint.rules.dr.stores.caches import CACHE_CLUSTER_TYPES, cache_cluster, replication_group
from rlint.rules.dr.stores.databases import aurora_role, cluster, rds_instance, table
from rlint.rules.dr.stores.files import EBS_TYPES, file_system, volume

READERS: dict = {}
for _types, _reader in (
        (rds.DB_INSTANCE_TYPES, rds_instance), (au.CLUSTER_TYPES, cluster),
        (ddb.TABLE_TYPES + (ddb.GLOBAL_TABLE_TYPE,), table), (efs.EFS_TYPES, file_system),
        (EBS_TYPES, volume), (ec.REPLICATION_GROUP_TYPES, replication_group),
        (CACHE_CLUSTER_TYPES, cache_cluster), (s3.BUCKET_TYPES, bucket)):
    for _t in _types:
        READERS[_t] = _reader
STORE_TYPES = tuple(READERS)


def read_store(ctx: RuleContext, res: Resource) -> Optional[Store]:
    """The store's recovery options, or None when the resource is not a data store of its own."""
    reader: Optional[Callable] = READERS.get(res.type)
    if reader is None or worth_keeping(ctx, res) is False:
        return None  # not a store, or data the configuration does not ask to keep (rules/data_value.py)
    if res.type in au.CLUSTER_TYPES and not aurora_role(ctx, res):
        return None  # a cross-Region replica cluster of a cluster in the scan: that cluster's copy
    if res.type == "AWS::RDS::DBInstance":
        engine = ctx.get(res, rds.ENGINE)
        if isinstance(engine, str) and engine.lower().startswith("aurora"):
            return None  # an Aurora member: its cluster is the store
    return reader(ctx, res)


__all__ = ["Store", "STORE_TYPES", "read_store"]
