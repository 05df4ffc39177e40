"""Backups and retention (RL3xx): native automated backups, AWS Backup coverage and retention."""
from .backup_cold_storage_gap import BackupColdStorageGap
from .backup_continuous_over_35_days import BackupContinuousOver35Days
from .backup_no_cross_region_copy import BackupNoCrossRegionCopy
from .backup_retention_too_short import BackupRetentionTooShort
from .backup_vault_lock_mismatch import BackupVaultLockMismatch
from .rds_backups_disabled import RdsBackupsDisabled
from .stateful_resource_not_in_backup_plan import StatefulResourceNotInBackupPlan
from .dynamodb_pitr_disabled import DynamodbPitrDisabled
from .db_backup_retention_low import DbBackupRetentionLow
from .elasticache_no_snapshots import ElasticacheNoSnapshots
from .efs_backup_disabled import EfsBackupDisabled
from .backup_selection_overbroad import BackupSelectionOverbroad
from .db_backup_retention_invalid import DbBackupRetentionInvalid

RULES = [RdsBackupsDisabled, StatefulResourceNotInBackupPlan, BackupRetentionTooShort]
RULES += [BackupColdStorageGap, BackupContinuousOver35Days, BackupNoCrossRegionCopy, BackupVaultLockMismatch]
RULES += [DynamodbPitrDisabled, DbBackupRetentionLow, ElasticacheNoSnapshots, EfsBackupDisabled,
          BackupSelectionOverbroad, DbBackupRetentionInvalid]
