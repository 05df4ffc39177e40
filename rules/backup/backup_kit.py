"""The AWS Backup set-up that `rlint fix` adds for stateful resources no selection covers (RL302).

One kit per Terraform module or CloudFormation template: a vault, a plan whose daily rule keeps recovery
points for 90 days (beyond RDS's 35-day ceiling) and, in Terraform, copies them to a vault in a second
Region (through an aliased provider), a role AWS Backup can assume with the AWS managed backup policy, and
one selection listing every uncovered resource by ARN. A CloudFormation stack cannot create a vault in
another Region: its kit keeps the copies for a second stack (RL307's display-only fix, `copy_fix`). Each uncovered resource's fix carries the whole kit; the fix writer merges the identical resources
and concatenates the selection's resource lists, so the kit is written once.
"""
from __future__ import annotations

from typing import Any

from rlint.rules.base import TERRAFORM, AddResource

KEEP_DAYS = 90  # longer than the 35 days RDS can keep on its own, and than RL303's default threshold
SCHEDULE = "cron(0 5 ? * * *)"  # daily at 05:00 UTC
MANAGED_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
# A copy needs a vault in another Region: the usual pairings, else the first Region that is not the source.
PAIRED_REGION = {"us-east-1": "us-west-2", "us-east-2": "us-west-2", "us-west-1": "us-east-1",
                 "us-west-2": "us-east-1", "eu-west-1": "eu-central-1", "eu-west-2": "eu-west-1",
                 "eu-west-3": "eu-central-1", "eu-central-1": "eu-west-1", "eu-north-1": "eu-west-1",
                 "ap-southeast-1": "ap-southeast-2", "ap-southeast-2": "ap-southeast-1",
                 "ap-northeast-1": "ap-northeast-3", "ap-south-1": "ap-southeast-1", "ca-central-1": "us-east-1",
                 "sa-east-1": "us-east-1"}
TRUST_POLICY = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]}


def copy_region(source: Any) -> str:
    """The Region to copy to; an unknown source Region gets us-west-2 (say so in the fix note)."""
    if isinstance(source, str):
        return PAIRED_REGION.get(source, "us-east-1" if source != "us-east-1" else "us-west-2")
    return "us-west-2"


def terraform_kit(resource_arn: str, source_region: Any) -> tuple:
    lifecycle = [{"__block__": True, "delete_after": KEEP_DAYS}]
    # the selection first: it is what the finding is about, and what a terminal shows of a long snippet
    return (
        AddResource("aws_backup_selection", "rlint_backup",
                    {"name": "rlint-backup", "plan_id": "${aws_backup_plan.rlint_backup.id}",
                     "iam_role_arn": "${aws_iam_role.rlint_backup.arn}", "resources": [resource_arn]}, shared=True),
        AddResource("aws", "backup_copy", {"alias": "backup_copy", "region": copy_region(source_region)},
                    kind="provider", shared=True),
        AddResource("aws_backup_vault", "rlint_backup", {"name": "rlint-backup"}, shared=True),
        AddResource("aws_backup_vault", "rlint_backup_copy",
                    {"provider": "${aws.backup_copy}", "name": "rlint-backup-copy"}, shared=True),
        # a role's name is unique in the account, across Regions: Terraform makes one from the prefix, so that
        # two root modules (or Regions) given this kit do not collide; the vault and plan names are per Region
        AddResource("aws_iam_role", "rlint_backup",
                    {"name_prefix": "rlint-backup-", "assume_role_policy": "${jsonencode(%s)}" % _hcl_object(TRUST_POLICY)}, shared=True),
        AddResource("aws_iam_role_policy_attachment", "rlint_backup",
                    {"role": "${aws_iam_role.rlint_backup.name}", "policy_arn": MANAGED_POLICY}, shared=True),
        AddResource("aws_backup_plan", "rlint_backup", {
            "name": "rlint-backup",
            "rule": [{"__block__": True, "rule_name": "daily", "target_vault_name":
                      "${aws_backup_vault.rlint_backup.name}", "schedule": SCHEDULE, "lifecycle": lifecycle,
                      "copy_action": [{"__block__": True, "destination_vault_arn":
                                       "${aws_backup_vault.rlint_backup_copy.arn}", "lifecycle": lifecycle}]}]},
                    shared=True),
    )


# A vault's and a plan's names are unique in an account and Region: a literal one would fail the second stack
# made from the template (two environments in one account, a StackSet). The stack's own id makes them unique;
# not its name, which may be 128 characters (a StackSet's or a nested stack's are generated, and long) where
# these take 50: "rlint-backup-" and a UUID are 49.
# (`uuid` in lower case: a CamelCase string in the rules is taken for a property they read, evaluate/scenarios)
STACK_NAMED = {"Fn::Sub": ["rlint-backup-${uuid}",
                           {"uuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]}


def cloudformation_kit(resource_arn: dict) -> tuple:
    # No copy action: its vault lives in another Region, which this stack cannot create (a copy to a vault
    # nothing creates fails at run time, silently). RL307 then shows the second stack and the copy action.
    # The role has no RoleName: CloudFormation names it after the stack. A selection's name is the plan's own.
    lifecycle = {"DeleteAfterDays": KEEP_DAYS}
    return (
        AddResource("AWS::Backup::BackupSelection", "RlintBackupSelection", {
            "BackupPlanId": {"Ref": "RlintBackupPlan"},
            "BackupSelection": {"SelectionName": "rlint-backup",
                                "IamRoleArn": {"Fn::GetAtt": ["RlintBackupRole", "Arn"]},
                                "Resources": [resource_arn]}}, shared=True),
        AddResource("AWS::Backup::BackupVault", "RlintBackupVault", {"BackupVaultName": STACK_NAMED}, shared=True),
        AddResource("AWS::IAM::Role", "RlintBackupRole",
                    {"AssumeRolePolicyDocument": TRUST_POLICY, "ManagedPolicyArns": [MANAGED_POLICY]}, shared=True),
        AddResource("AWS::Backup::BackupPlan", "RlintBackupPlan", {"BackupPlan": {
            "BackupPlanName": STACK_NAMED,
            "BackupPlanRule": [{"RuleName": "daily", "TargetBackupVault": {"Ref": "RlintBackupVault"},
                                "ScheduleExpression": SCHEDULE, "Lifecycle": lifecycle}]}}, shared=True),
    )


def kit_for(fmt: str, resource_arn: Any, source_region: Any = None) -> tuple:
    return terraform_kit(resource_arn, source_region) if fmt == TERRAFORM else cloudformation_kit(resource_arn)


def _hcl_object(value: Any) -> str:
    """A JSON-like value as an HCL object expression (for jsonencode), keys unquoted where HCL allows."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_hcl_object(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_object(v) for v in value) + "]"
    return '"%s"' % value if isinstance(value, str) else str(value)


COPY_VAULT = "rlint-backup-copy"


def copy_fix(plan, rules: list, source_region: Any, keep_days: int) -> tuple:
    """(changes, Region, second stack): a copy action to a vault in a second Region for each rule, and in
    Terraform that vault through an aliased provider. CloudFormation cannot create the vault in this stack:
    the changes are shown with the second stack (one vault resource) that must create it first."""
    from rlint.rules.base import AppendItem, SetAttribute, entry_attr

    region = copy_region(source_region)
    lifecycle_days = max(keep_days, KEEP_DAYS)
    if plan.format == TERRAFORM:
        copy = {"destination_vault_arn": "${aws_backup_vault.rlint_backup_copy.arn}",
                "lifecycle": {"delete_after": lifecycle_days}}
        changes = [SetAttribute(entry_attr(plan, rule.path + ("copy_action",)), copy) for rule in rules]
        # shared: one copy vault per provider of the module (plans of two Regions copy to two Regions)
        changes += [AddResource("aws", "backup_copy", {"alias": "backup_copy", "region": region}, kind="provider",
                                shared=True),
                    AddResource("aws_backup_vault", "rlint_backup_copy",
                                {"provider": "${aws.backup_copy}", "name": COPY_VAULT}, shared=True)]
        return tuple(changes), region, ()
    arn = {"Fn::Sub": f"arn:${{AWS::Partition}}:backup:{region}:${{AWS::AccountId}}:backup-vault:{COPY_VAULT}"}
    copy = {"DestinationBackupVaultArn": arn, "Lifecycle": {"DeleteAfterDays": lifecycle_days}}
    changes = tuple(AppendItem(entry_attr(plan, rule.path + ("CopyActions",)), copy) for rule in rules)
    second_stack = (AddResource("AWS::Backup::BackupVault", "RlintBackupCopyVault", {"BackupVaultName": COPY_VAULT},
                                resource_attributes=(("DeletionPolicy", "Retain"), ("UpdateReplacePolicy", "Retain"))),)
    return changes, region, second_stack
