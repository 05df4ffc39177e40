"""Backups and retention (RL3xx): native automated backups, AWS Backup coverage and retention."""
from .backup_retention_too_short import BackupRetentionTooShort
from .rds_backups_disabled import RdsBackupsDisabled

RULES = [RdsBackupsDisabled, BackupRetentionTooShort]
