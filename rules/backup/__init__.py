"""Backups and retention (RL3xx): native automated backups, AWS Backup coverage and retention."""
from .rds_backups_disabled import RdsBackupsDisabled

RULES = [RdsBackupsDisabled]
