"""Backups and retention (RL3xx): native automated backups, AWS Backup coverage and retention."""
from .backup_retention_too_short import BackupRetentionTooShort
from .rds_backups_disabled import RdsBackupsDisabled
from .stateful_resource_not_in_backup_plan import StatefulResourceNotInBackupPlan

RULES = [RdsBackupsDisabled, StatefulResourceNotInBackupPlan, BackupRetentionTooShort]
