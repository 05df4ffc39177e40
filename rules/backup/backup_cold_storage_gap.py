from rlint.model import Severity, Unknown
from rlint.rules.attrs.backup import PLAN_TYPES
from rlint.rules.base import Fix, RemoveAttribute, Rule, SetAttribute
from rlint.rules.graphutil.backup_plans import lifecycle_of, plan_entries

COLD_MINIMUM_DAYS = 90


class BackupColdStorageGap(Rule):
    """## What it does
    Flags AWS Backup plan rules and copy actions whose lifecycle deletes recovery points less than 90 days
    after moving them to cold storage: `delete_after - cold_storage_after < 90` in Terraform,
    `DeleteAfterDays - MoveToColdStorageAfterDays < 90` in CloudFormation.

    ## Why is this bad?
    A recovery point in cold storage must stay there at least 90 days, so AWS Backup refuses such a
    lifecycle: creating or updating the plan fails ("Invalid lifecycle. DeleteAfterDays cannot be less
    than 90 days apart from MoveToColdStorageAfterDays"). The deployment stops, and until it is fixed the
    plan that was meant to protect the data does not exist (or keeps its old rules).

    ## Example
    ```hcl
    resource "aws_backup_plan" "monthly" {
      name = "monthly"
      rule {
        rule_name         = "monthly"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 1 * ? *)"
        lifecycle {
          cold_storage_after = 30
          delete_after       = 90
        }
      }
    }
    ```
    ```yaml
    Monthly:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: monthly
          BackupPlanRule:
            - RuleName: monthly
              TargetBackupVault: !Ref MainVault
              ScheduleExpression: cron(0 5 1 * ? *)
              Lifecycle:
                MoveToColdStorageAfterDays: 30
                DeleteAfterDays: 90
    ```

    ## Use instead
    ```hcl
    resource "aws_backup_plan" "monthly" {
      name = "monthly"
      rule {
        rule_name         = "monthly"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 1 * ? *)"
        lifecycle {
          cold_storage_after = 30
          delete_after       = 120
        }
      }
    }
    ```
    ```yaml
    Monthly:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: monthly
          BackupPlanRule:
            - RuleName: monthly
              TargetBackupVault: !Ref MainVault
              ScheduleExpression: cron(0 5 1 * ? *)
              Lifecycle:
                MoveToColdStorageAfterDays: 30
                DeleteAfterDays: 120
    ```

    ## Known problems
    AWS checks the lifecycle when the plan is created, whatever resources it selects, so the rule does not
    look at the selections even though cold storage only applies to some resource types, and
    `opt_in_to_archive_for_supported_resources` / `OptInToArchiveForSupportedResources` does not change
    it. A lifecycle with no `delete_after` (or -1) keeps recovery points forever and is not flagged, nor is
    one without a cold storage transition. In Terraform a `cold_storage_after` or `delete_after` of 0 is not sent to AWS (the
    provider skips zeros), so it counts as not set; in CloudFormation a 0 is sent and counts as day 0.
    Values from a variable or parameter without a value give `unknown`. Continuous-backup rules cannot move
    to cold storage at all; the fix for them is to remove the transition (RL305 covers their retention).

    ## Fix safety
    Needs review: the fix keeps recovery points until 90 days after the move to cold storage, which is
    billed cold storage; moving later or not at all is the other way out.

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html ("This value must be at least 90 days after the number of days specified in MoveToColdStorageAfterDays")
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_plan#lifecycle
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupplan-lifecycleresourcetype.html
    """

    id = "RL304"
    name = "backup-cold-storage-gap"
    severity = Severity.HIGH
    resource_types = PLAN_TYPES
    checkov_ids = ()

    def check(self, res, ctx):
        entries = plan_entries(ctx, res)
        if isinstance(entries, Unknown):
            yield self.unknown(res, entries, what="the plan's rules")
            return
        for entry in entries:
            life = lifecycle_of(entry)
            cold, delete = life.cold_after, life.delete_after
            if cold is None or delete is None:
                continue  # never moved to cold storage, or kept forever once there
            for value, attr in ((cold, life.cold_attr), (delete, life.delete_attr)):
                if isinstance(value, Unknown):
                    yield self.unknown(res, value, what=f"`{attr.name}` of {entry.describe()}",
                                       path=attr.path(res.format))
                    break
            else:
                if delete - cold < COLD_MINIMUM_DAYS:
                    yield self._fail(res, entry, life, cold, delete)

    def _fail(self, res, entry, life, cold, delete):
        cold_key, delete_key = life.cold_attr.name, life.delete_attr.name
        message = (f"{res.address}: {entry.describe()} moves recovery points to cold storage after {cold} days "
                   f"(`{cold_key}`) and deletes them after {delete} days (`{delete_key}`), {delete - cold} days "
                   f"later: AWS requires {COLD_MINIMUM_DAYS} days in cold storage and rejects the plan")
        path = life.delete_attr.path(res.format)
        if entry.kind == "rule" and entry.continuous is True:
            return self.fail(res, message + "; continuous backups cannot move to cold storage at all", path=path,
                             fix=Fix(f"Remove `{cold_key}` from the continuous-backup rule",
                                     (RemoveAttribute(life.cold_attr),), safety="review",
                                     note="recovery points stay in warm storage until they are deleted"))
        days = cold + COLD_MINIMUM_DAYS
        return self.fail(res, message, path=path,
                         fix=Fix(f"Set `{delete_key}` to {days}", (SetAttribute(life.delete_attr, days),),
                                 safety="review", note="recovery points are kept (and billed) longer; or move them "
                                 "to cold storage later"))
