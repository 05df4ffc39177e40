from rlint.model import Severity, Unknown
from rlint.rules.attrs.backup import PLAN_TYPES
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.backup_plans import (any_vault_lock, copy_destination, lifecycle_of, plan_entries,
                                                target_vault, vault_lock)


class BackupVaultLockMismatch(Rule):
    """## What it does
    Flags AWS Backup plan rules and copy actions whose retention lies outside the retention range of the
    vault lock on the vault they write to: a rule's target vault (`target_vault_name` / `TargetBackupVault`,
    by reference or by name), a copy action's destination vault (when the ARN references a vault of the
    configuration). The lock is the Terraform `aws_backup_vault_lock_configuration` naming the vault, or the
    CloudFormation vault's `LockConfiguration`, with `min_retention_days` / `MinRetentionDays` and
    `max_retention_days` / `MaxRetentionDays`; a logically air-gapped vault carries the same range itself.

    ## Why is this bad?
    A locked vault refuses every backup or copy job whose retention is shorter than the lock's minimum or
    longer than its maximum. The plan deploys fine, but each scheduled job then fails: no recovery points are
    made, and the gap shows only in job failure notifications or when a restore is needed. A lifecycle that
    keeps recovery points forever (no `delete_after`) is longer than any maximum.

    ## Example
    ```hcl
    resource "aws_backup_vault_lock_configuration" "main" {
      backup_vault_name  = aws_backup_vault.main.name
      min_retention_days = 30
      max_retention_days = 365
    }

    resource "aws_backup_plan" "daily" {
      name = "daily"
      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"
        lifecycle {
          delete_after = 7
        }
      }
    }
    ```
    ```yaml
    MainVault:
      Type: AWS::Backup::BackupVault
      Properties:
        BackupVaultName: main
        LockConfiguration:
          MinRetentionDays: 30
          MaxRetentionDays: 365
    Daily:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: daily
          BackupPlanRule:
            - RuleName: daily
              TargetBackupVault: !Ref MainVault
              ScheduleExpression: cron(0 5 * * ? *)
              Lifecycle:
                DeleteAfterDays: 7
    ```

    ## Use instead
    A retention within the lock's range (here `delete_after = 30` / `DeleteAfterDays: 30`), or another vault:
    ```hcl
    resource "aws_backup_plan" "daily" {
      name = "daily"
      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"
        lifecycle {
          delete_after = 30
        }
      }
    }
    ```
    ```yaml
    Daily:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: daily
          BackupPlanRule:
            - RuleName: daily
              TargetBackupVault: !Ref MainVault
              ScheduleExpression: cron(0 5 * * ? *)
              Lifecycle:
                DeleteAfterDays: 30
    ```

    ## Known problems
    A vault named by a string is matched to a vault of the same module or template in the plan's Region;
    a name that no vault of the configuration carries may still have a Terraform lock configuration naming
    it. A copy destination given as a literal ARN (another account or Region) is not matched to any vault:
    its lock is not known, and nothing is reported. A target vault, lock or retention that cannot be decided
    (a variable or parameter without a value, a lock behind a condition or an unknown `count`) gives
    `unknown`, but only where the configuration has a vault lock at all.

    ## Fix safety
    Needs review: a longer retention is billed storage, a shorter one deletes recovery points sooner; the
    lock's range usually encodes a compliance requirement, so change the plan, not the lock. With cold
    storage, keep `delete_after` 90 days past `cold_storage_after` (RL304).

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html ("If the job's retention period is shorter than that minimum retention period, then the vault fails that backup or copy job"; the same for the maximum)
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_vault_lock_configuration
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupvault-lockconfigurationtype.html
    """

    id = "RL308"
    name = "backup-vault-lock-mismatch"
    severity = Severity.HIGH
    resource_types = PLAN_TYPES
    checkov_ids = ()
    graph_rule = True

    def check(self, res, ctx):
        locked = any_vault_lock(ctx, res)
        if not locked:
            return  # no vault lock anywhere in the module or template: nothing can mismatch
        entries = plan_entries(ctx, res)
        if isinstance(entries, Unknown):
            yield self.unknown(res, entries, what="the plan's rules")
            return
        for entry in entries:
            if entry.kind == "rule":
                vault = target_vault(ctx, entry)
            else:
                dest = copy_destination(ctx, entry) if not isinstance(entry.body, Unknown) else None
                vault = dest.vault if dest is not None else entry.body
            if vault is None:
                continue
            life = lifecycle_of(entry)
            path = life.delete_attr.path(res.format)
            if isinstance(vault, Unknown):
                yield self.unknown(res, vault, what=f"the vault of {entry.describe()}", path=path)
                continue
            lock = vault_lock(ctx, vault)
            if lock is None:
                continue
            if isinstance(lock, Unknown):
                yield self.unknown(res, lock, what=f"the lock of {vault.describe()}", path=path)
                continue
            yield from self._judge(res, entry, vault, lock, life)

    def _judge(self, res, entry, vault, lock, life):
        days = life.delete_after
        path = life.delete_attr.path(res.format)
        for bound, limit in (("min", lock.min_days), ("max", lock.max_days)):
            if limit is None or (bound == "min" and days is None):
                continue  # no such bound, or kept forever (longer than any minimum)
            for value in (limit, days):
                if isinstance(value, Unknown):
                    yield self.unknown(res, value, path=path,
                                       what=f"whether {entry.describe()} keeps within the lock of {vault.describe()}")
                    return
            if bound == "min" and days < limit:
                yield self._fail(res, entry, vault, lock, life, f"{days} days", "shorter than", lock.min_attr, limit)
                return
            if bound == "max" and (days is None or days > limit):
                kept = "forever" if days is None else f"{days} days"
                yield self._fail(res, entry, vault, lock, life, kept, "longer than", lock.max_attr, limit)
                return

    def _fail(self, res, entry, vault, lock, life, kept, relation, bound_attr, limit):
        key = life.delete_attr.name
        source = f"`{key}`" if kept != "forever" else f"no `{key}`"
        job = "backup" if entry.kind == "rule" else "copy"
        where = f"the lock of {vault.describe()}"
        if lock.resource is not vault.resource:
            where += f" ({lock.resource.address})"
        return self.fail(
            res,
            f"{res.address}: {entry.describe()} keeps recovery points {kept} ({source}), {relation} the "
            f"`{bound_attr.name}` of {limit} in {where}: the vault fails every {job} job of the {entry.kind}",
            path=life.delete_attr.path(res.format),
            fix=Fix(f"Set `{key}` to {limit}", (SetAttribute(life.delete_attr, limit),), safety="review",
                    note="the lock's range is usually a compliance requirement: change the plan, not the lock"))
