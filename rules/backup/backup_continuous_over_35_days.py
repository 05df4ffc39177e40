from rlint.model import Severity, Unknown
from rlint.rules.attrs.backup import PLAN_TYPES, RULE_CONTINUOUS
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.backup_plans import lifecycle_of, plan_rules

CONTINUOUS_MAX_DAYS = 35


class BackupContinuousOver35Days(Rule):
    """## What it does
    Flags AWS Backup plan rules with continuous backup turned on (`enable_continuous_backup = true`,
    `EnableContinuousBackup: true`) whose retention is longer than 35 days, or not set at all (kept
    forever).

    ## Why is this bad?
    Continuous backups (point-in-time recovery for RDS, Aurora, S3 and SAP HANA) can be kept 1 to 35 days.
    AWS Backup refuses a continuous rule with a longer or missing retention, so the plan fails to deploy and
    the databases it should protect have no AWS Backup recovery points at all until it is fixed. Even where
    a longer value slipped through, no continuous recovery point outlives 35 days: the long history the
    setting asks for does not exist.

    ## Example
    ```hcl
    resource "aws_backup_plan" "pitr" {
      name = "pitr"
      rule {
        rule_name                = "continuous"
        target_vault_name        = aws_backup_vault.main.name
        enable_continuous_backup = true
        lifecycle {
          delete_after = 90
        }
      }
    }
    ```
    ```yaml
    Pitr:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: pitr
          BackupPlanRule:
            - RuleName: continuous
              TargetBackupVault: !Ref MainVault
              EnableContinuousBackup: true
              Lifecycle:
                DeleteAfterDays: 90
    ```

    ## Use instead
    Keep the continuous rule within 35 days and add a snapshot rule for the long history:
    ```hcl
    resource "aws_backup_plan" "pitr" {
      name = "pitr"
      rule {
        rule_name                = "continuous"
        target_vault_name        = aws_backup_vault.main.name
        enable_continuous_backup = true
        lifecycle {
          delete_after = 35
        }
      }
      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"
        lifecycle {
          delete_after = 90
        }
      }
    }
    ```
    ```yaml
    Pitr:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: pitr
          BackupPlanRule:
            - RuleName: continuous
              TargetBackupVault: !Ref MainVault
              EnableContinuousBackup: true
              Lifecycle:
                DeleteAfterDays: 35
            - RuleName: daily
              TargetBackupVault: !Ref MainVault
              ScheduleExpression: cron(0 5 * * ? *)
              Lifecycle:
                DeleteAfterDays: 90
    ```

    ## Known problems
    Only the rule's own lifecycle is judged: its copy actions make snapshot copies, which may be kept longer.
    A rule whose continuous flag or retention comes from a variable or parameter without a value gives
    `unknown` (unless the retention is known to be within 35 days). No lifecycle, no `delete_after` or -1
    means "kept forever", which a continuous rule cannot do. Terraform does not send a `delete_after` of 0,
    so it counts as not set.

    ## Fix safety
    Needs review: the fix shortens the continuous retention to 35 days, so points in time older than that can
    no longer be restored from this rule; keep longer history with a separate snapshot rule.

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html ("The minimum retention period is 1 day. The maximum retention period is 35 days.")
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_plan#enable_continuous_backup
    """

    id = "RL305"
    name = "backup-continuous-over-35-days"
    severity = Severity.HIGH
    resource_types = PLAN_TYPES
    checkov_ids = ()

    def check(self, res, ctx):
        rules = plan_rules(ctx, res)
        if isinstance(rules, Unknown):
            yield self.unknown(res, rules, what="the plan's rules")
            return
        for rule in rules:
            continuous = rule.continuous
            if continuous is not True and not isinstance(continuous, Unknown):
                continue
            life = lifecycle_of(rule)
            days = life.delete_after
            path = life.delete_attr.path(res.format)
            if isinstance(days, int) and days <= CONTINUOUS_MAX_DAYS:
                continue
            if isinstance(days, Unknown):
                yield self.unknown(res, days, what=f"the retention of {rule.describe()}", path=path)
            elif isinstance(continuous, Unknown):
                yield self.unknown(res, continuous, what=f"whether {rule.describe()} is continuous",
                                   path=rule.attr(RULE_CONTINUOUS).path(res.format))
            else:
                yield self._fail(res, rule, life, days)

    def _fail(self, res, rule, life, days):
        key = life.delete_attr.name
        kept = f"keeps them {days} days (`{key}`)" if days is not None else f"keeps them forever (no `{key}`)"
        return self.fail(
            res,
            f"{res.address}: {rule.describe()} takes continuous backups and {kept}: continuous backups are kept "
            f"at most {CONTINUOUS_MAX_DAYS} days and AWS rejects the rule",
            path=life.delete_attr.path(res.format),
            fix=Fix(f"Set `{key}` to {CONTINUOUS_MAX_DAYS}", (SetAttribute(life.delete_attr, CONTINUOUS_MAX_DAYS),),
                    safety="review", note="older points in time are no longer restorable from this rule; add a "
                    "snapshot rule for longer history"))
