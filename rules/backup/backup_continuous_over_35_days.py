from rlint.model import Severity, Unknown
from rlint.rules.attrs.backup import PLAN_RULES, PLAN_TYPES, RULE_CONTINUOUS, RULE_NAME, RULE_SCHEDULE, RULE_TARGET_VAULT
from rlint.rules.base import AppendItem, Fix, Rule, SameAs, SetAttribute
from rlint.rules.graphutil.backup_plans import lifecycle_of, plan_rules

CONTINUOUS_MAX_DAYS = 35
SNAPSHOT_SCHEDULE = "cron(0 5 ? * * *)"  # daily at 05:00 UTC, as the backup kit (RL302)


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
            fix=self._fix(res, rule, life, days))

    @staticmethod
    def _fix(res, rule, life, days) -> Fix:
        """35 days for the continuous rule; in Terraform also a snapshot rule into the same vault that keeps the
        history the author asked for (a CloudFormation list entry is left to the author: the note says so)."""
        key = life.delete_attr.name
        shorten = SetAttribute(life.delete_attr, CONTINUOUS_MAX_DAYS)
        tf = res.format == "terraform"
        vault, schedule, name_key = (pair[0 if tf else 1] for pair in (RULE_TARGET_VAULT, RULE_SCHEDULE, RULE_NAME))
        if vault not in rule.body:
            return Fix(f"Set `{key}` to {CONTINUOUS_MAX_DAYS}", (shorten,), safety="review",
                       note="older points in time are no longer restorable from this rule; add a snapshot rule for "
                            "longer history")
        name = rule.body.get(name_key)
        snapshots = {name_key: f"{name}-snapshots" if isinstance(name, str) else "snapshots",
                     vault: SameAs(rule.path + (vault,)),
                     schedule: SameAs(rule.path + (schedule,)) if schedule in rule.body else SNAPSHOT_SCHEDULE}
        if isinstance(days, int):
            snapshots["lifecycle" if tf else "Lifecycle"] = {"delete_after" if tf else "DeleteAfterDays": days}
        kept = f"{days} days" if isinstance(days, int) else "for good, as before"
        add = SetAttribute(PLAN_RULES, snapshots) if tf else AppendItem(PLAN_RULES, snapshots)
        return Fix(f"Set `{key}` to {CONTINUOUS_MAX_DAYS} and keep the longer history in a snapshot rule",
                   (shorten, add), safety="review",
                   note=f"points in time go back {CONTINUOUS_MAX_DAYS} days; daily snapshots in the same vault are "
                        f"kept {kept} (billed as snapshots)")
