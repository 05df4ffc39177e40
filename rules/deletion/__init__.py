"""Deletion and replacement safety (RL4xx): what happens to data when a stack deletes or replaces it."""
from .aurora_member_invalid_properties import AuroraMemberInvalidProperties
from .cfn_snapshot_on_cluster_member import CfnSnapshotOnClusterMember
from .cfn_snapshot_unsupported import CfnSnapshotUnsupported
from .cfn_stateful_deleted_on_replace import CfnStatefulDeletedOnReplace
from .cfn_stateful_deleted_with_stack import CfnStatefulDeletedWithStack
from .db_skip_final_snapshot import DbSkipFinalSnapshot
from .deletion_protection_off import DeletionProtectionOff
from .force_destroy import ForceDestroy

RULES = [CfnStatefulDeletedWithStack, CfnStatefulDeletedOnReplace, CfnSnapshotUnsupported, CfnSnapshotOnClusterMember,
         DeletionProtectionOff, DbSkipFinalSnapshot, ForceDestroy, AuroraMemberInvalidProperties]
