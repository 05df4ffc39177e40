from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.backup import SELECTION_CONDITIONS, SELECTION_RESOURCES, SELECTION_TAGS, SELECTION_TYPES
from rlint.rules.base import TERRAFORM, Rule, manual_fix
from rlint.rules.graphutil.backup import Selection, type_wide


class BackupSelectionOverbroad(Rule):
    """## What it does
    Flags AWS Backup selections that combine a wildcard in `resources` / `Resources` (`"*"`, or a pattern
    naming every resource of a type such as `arn:aws:rds:*:*:db:*`) with tag tests (`selection_tag` /
    `ListOfTags`) and no conditions. AWS Backup ORs resources and tags, so such a selection takes every
    resource the wildcard names, tagged or not, plus the tagged resources of other types.

    ## Why is this bad?
    The tags look like a filter ("RDS databases tagged `backup = daily`") but filter nothing: every database of
    the account and Region goes into the plan. That is backup storage, and with a copy action cross-Region
    transfer, for scratch and test resources nobody meant to keep, and it hides which resources the plan was
    really meant for. Only conditions (`condition` / `Conditions`) are ANDed with the rest of the selection.

    ## Example
    ```hcl
    resource "aws_backup_selection" "databases" {
      name         = "tagged-databases"
      plan_id      = aws_backup_plan.daily.id
      iam_role_arn = aws_iam_role.backup.arn
      resources    = ["arn:aws:rds:*:*:db:*"]
      selection_tag {
        type  = "STRINGEQUALS"
        key   = "backup"
        value = "daily"
      }
    }
    ```
    ```yaml
    Databases:
      Type: AWS::Backup::BackupSelection
      Properties:
        BackupPlanId: !Ref DailyPlan
        BackupSelection:
          SelectionName: tagged-databases
          IamRoleArn: !GetAtt BackupRole.Arn
          Resources: ["arn:aws:rds:*:*:db:*"]
          ListOfTags:
            - {ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}
    ```

    ## Use instead
    ```hcl
    resource "aws_backup_selection" "databases" {
      name         = "tagged-databases"
      plan_id      = aws_backup_plan.daily.id
      iam_role_arn = aws_iam_role.backup.arn
      resources    = ["arn:aws:rds:*:*:db:*"]
      condition {
        string_equals {
          key   = "aws:ResourceTag/backup"
          value = "daily"
        }
      }
    }
    ```
    ```yaml
    Databases:
      Type: AWS::Backup::BackupSelection
      Properties:
        BackupPlanId: !Ref DailyPlan
        BackupSelection:
          SelectionName: tagged-databases
          IamRoleArn: !GetAtt BackupRole.Arn
          Resources: ["arn:aws:rds:*:*:db:*"]
          Conditions:
            StringEquals:
              - {ConditionKey: "aws:ResourceTag/backup", ConditionValue: daily}
    ```

    ## Known problems
    A selection with conditions is not flagged: the conditions narrow the wildcard as intended. Narrower
    patterns (`arn:aws:rds:*:*:db:prod-*`) are a deliberate second way in and are not flagged either. A
    selection that means "everything of this type, and the tagged resources of other types" is exactly what
    this rule describes: suppress it with that reason. ARN lists or tag lists that come from a variable or
    parameter without a value give `unknown`. `not_resources` / `NotResources` exclusions do not change the
    finding: the tags still narrow nothing.

    ## Fix safety
    Needs review: moving the tag tests into conditions takes every untagged resource of the type out of the
    plan, so no new recovery points are made for them. Check that those resources are backed up elsewhere or
    not needed. rlint shows this fix without writing it (display-only): whether the wildcard or the tags say what
    to back up is the author's intent.

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupselection-backupselectionresourcetype.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_selection
    - https://github.com/hashicorp/terraform-provider-aws/issues/41274
    """

    id = "RL312"
    name = "backup-selection-overbroad"
    severity = Severity.LOW
    resource_types = SELECTION_TYPES
    checkov_ids = ()

    def check(self, res, ctx):
        tags = ctx.get(res, SELECTION_TAGS)
        if tags is MISSING or tags is None or tags == []:
            return
        arns = Selection(ctx, res).written_arns()
        if isinstance(arns, Unknown):
            yield self.unknown(res, arns, at=SELECTION_RESOURCES)
            return
        wide = [(p, type_wide(p)) for p in arns if isinstance(p, str)]
        wide = [(p, what) for p, what in wide if what is not None]
        undecided = next((p for p in arns if isinstance(p, Unknown)), None)
        if not wide:
            if undecided is not None:
                spelled = SELECTION_RESOURCES.spelling(res.format)
                yield self.unknown(res, undecided, at=SELECTION_RESOURCES, what=f"an entry of `{spelled}`")
            return
        conditions = self._has_conditions(ctx, res)
        if conditions is True:
            return
        if isinstance(conditions, Unknown):
            yield self.unknown(res, conditions, at=SELECTION_CONDITIONS)
            return
        if isinstance(tags, Unknown):
            yield self.unknown(res, tags, at=SELECTION_TAGS)
            return
        pattern, what = wide[0]
        resources, tag_key = SELECTION_RESOURCES.spelling(res.format), SELECTION_TAGS.spelling(res.format)
        conds = SELECTION_CONDITIONS.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} selects {what} (`{resources}` has `\"{pattern}\"`) or anything matching its "
            f"{len(tags)} `{tag_key}` test{'s' if len(tags) != 1 else ''}: AWS Backup ORs resources and tags, so "
            f"the tags narrow nothing and untagged resources are backed up too",
            at=SELECTION_TAGS,
            fix=manual_fix(f"Move the tag tests into `{conds}` (ANDed with `{resources}`), or drop the wildcard",
                           "whether the wildcard or the tags express what should be backed up is the author's "
                           "intent: moving the tags drops untagged resources from the plan",
                           note="untagged resources of the type leave the plan; make sure they need no backups"),
        )

    @staticmethod
    def _has_conditions(ctx, res):
        """True when the selection has at least one condition test, or an Unknown."""
        value = ctx.get(res, SELECTION_CONDITIONS)
        if value is MISSING or value is None:
            return False
        if isinstance(value, Unknown):
            return value
        blocks = value if res.format == TERRAFORM and isinstance(value, list) else [value]
        for block in blocks:
            if isinstance(block, Unknown):
                return block
            for entries in block.values() if isinstance(block, dict) else ():
                if isinstance(entries, Unknown):
                    return entries
                if isinstance(entries, list) and entries:
                    return True
        return False
