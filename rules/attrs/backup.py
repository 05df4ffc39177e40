"""AWS Backup plans and selections (Terraform `aws_backup_plan` / `aws_backup_selection`, CloudFormation
`AWS::Backup::BackupPlan` / `AWS::Backup::BackupSelection`).

Plan rules and selections are lists of nested entries; these Attrs name the list, and the per-entry keys
below name what is read inside each entry (a Terraform block body or a CloudFormation map).
"""
from rlint.rules.base import Attr

PLAN_TYPES = ("aws_backup_plan", "AWS::Backup::BackupPlan")
SELECTION_TYPES = ("aws_backup_selection", "AWS::Backup::BackupSelection")

# -- plans ------------------------------------------------------------------------------------------------
PLAN_RULES = Attr("plan_rules", "rule", "Properties.BackupPlan.BackupPlanRule")
PLAN_NAME = Attr("plan_name", "name", "Properties.BackupPlan.BackupPlanName")

# Keys inside one plan rule / copy action, per format: (terraform, cloudformation).
RULE_NAME = ("rule_name", "RuleName")
RULE_LIFECYCLE = ("lifecycle", "Lifecycle")
RULE_COPY_ACTIONS = ("copy_action", "CopyActions")
RULE_CONTINUOUS = ("enable_continuous_backup", "EnableContinuousBackup")
LIFECYCLE_DELETE_AFTER = ("delete_after", "DeleteAfterDays")
LIFECYCLE_COLD_AFTER = ("cold_storage_after", "MoveToColdStorageAfterDays")
RULE_SCHEDULE = ("schedule", "ScheduleExpression")
RULE_TARGET_VAULT = ("target_vault_name", "TargetBackupVault")
COPY_DESTINATION = ("destination_vault_arn", "DestinationBackupVaultArn")

# -- vaults and vault locks ------------------------------------------------------------------------------
VAULT_TYPES = ("aws_backup_vault", "AWS::Backup::BackupVault")
VAULT_NAME = Attr("vault_name", "name", "Properties.BackupVaultName")
# Terraform keeps the lock in its own resource, naming the vault; CloudFormation inlines it in the vault.
TF_VAULT_LOCK = "aws_backup_vault_lock_configuration"
VAULT_LOCK_VAULT = Attr("vault_lock_vault", "backup_vault_name", None)
VAULT_LOCK = Attr("vault_lock", None, "Properties.LockConfiguration")
LOCK_MIN_DAYS = ("min_retention_days", "MinRetentionDays")
LOCK_MAX_DAYS = ("max_retention_days", "MaxRetentionDays")

# -- selections -------------------------------------------------------------------------------------------
SELECTION_RESOURCES = Attr("selection_resources", "resources", "Properties.BackupSelection.Resources")
SELECTION_NOT_RESOURCES = Attr("selection_not_resources", "not_resources",
                               "Properties.BackupSelection.NotResources")
# Terraform `selection_tag` blocks / CloudFormation `ListOfTags`: StringEquals only, ORed with each other and
# with `resources`.
SELECTION_TAGS = Attr("selection_tags", "selection_tag", "Properties.BackupSelection.ListOfTags")
# Terraform `condition` block / CloudFormation `Conditions`: ANDed with everything else.
SELECTION_CONDITIONS = Attr("selection_conditions", "condition", "Properties.BackupSelection.Conditions")
SELECTION_PLAN = Attr("selection_plan", "plan_id", "Properties.BackupPlanId")

# Condition operators: Terraform block name -> CloudFormation key.
CONDITION_OPERATORS = {"string_equals": "StringEquals", "string_like": "StringLike",
                       "string_not_equals": "StringNotEquals", "string_not_like": "StringNotLike"}

__all__ = ["PLAN_TYPES", "SELECTION_TYPES", "PLAN_RULES", "PLAN_NAME", "RULE_NAME", "RULE_LIFECYCLE",
           "RULE_COPY_ACTIONS", "RULE_CONTINUOUS", "LIFECYCLE_DELETE_AFTER", "LIFECYCLE_COLD_AFTER", "RULE_SCHEDULE",
           "RULE_TARGET_VAULT", "COPY_DESTINATION", "VAULT_TYPES", "VAULT_NAME", "TF_VAULT_LOCK", "VAULT_LOCK_VAULT",
           "VAULT_LOCK", "LOCK_MIN_DAYS", "LOCK_MAX_DAYS",
           "SELECTION_RESOURCES", "SELECTION_NOT_RESOURCES", "SELECTION_TAGS", "SELECTION_CONDITIONS",
           "SELECTION_PLAN", "CONDITION_OPERATORS"]
