from rlint.model import Severity, Unknown
from rlint.rules.attrs.backup import PLAN_RULES, PLAN_TYPES
from rlint.rules.backup.backup_kit import COPY_VAULT, copy_fix
from rlint.rules.base import Fix, Rule, manual_fix
from rlint.rules.graphutil.backup import t_or
from rlint.rules.graphutil.backup_plans import copy_destinations, crosses_region, lifecycle_of, plan_rules
from rlint.rules.graphutil.regions import resource_region


class BackupNoCrossRegionCopy(Rule):
    """## What it does
    Flags AWS Backup plans none of whose rules copies its recovery points to a vault in another Region
    (`copy_action { destination_vault_arn }` in Terraform, `CopyActions[].DestinationBackupVaultArn` in
    CloudFormation). The destination's Region comes from the ARN (`arn:aws:backup:REGION:…`) or, when the
    ARN is a reference to a vault of the configuration, from that vault's `region` argument or provider; the
    plan's Region from its own `region` argument or provider.

    ## Why is this bad?
    The vault a plan writes to lives in the plan's Region. A Regional outage, a lost account key or an
    operator deleting the vault takes every recovery point with the data it protects, and there is nothing
    to restore in another Region. Copies to a vault in a second Region are what make AWS Backup a disaster
    recovery mechanism rather than an undo button.

    ## Example
    ```hcl
    resource "aws_backup_plan" "daily" {
      name = "daily"
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
                DeleteAfterDays: 90
    ```

    ## Use instead
    ```hcl
    resource "aws_backup_vault" "dr" {
      provider = aws.dr # another Region
      name     = "dr"
    }

    resource "aws_backup_plan" "daily" {
      name = "daily"
      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"
        lifecycle {
          delete_after = 90
        }
        copy_action {
          destination_vault_arn = aws_backup_vault.dr.arn
          lifecycle {
            delete_after = 90
          }
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
                DeleteAfterDays: 90
              CopyActions:
                - DestinationBackupVaultArn: !Sub arn:${AWS::Partition}:backup:us-west-2:${AWS::AccountId}:backup-vault:dr
                  Lifecycle:
                    DeleteAfterDays: 90
    ```

    ## Known problems
    The plan is judged as a whole: one rule copying to another Region is enough (an hourly or continuous rule
    kept locally next to a daily rule copied away is a normal design). A copy to another account in the same
    Region is not a cross-Region copy. In Terraform, Regions are compared by name, or as equal when both
    resources use the same provider configuration of one module; a Region that cannot be told (a provider
    region from a variable without a value, a destination from a data source or an input, a child module's
    inherited provider) gives `unknown`. CloudFormation cannot know its own Region: a literal Region in a
    destination ARN (also inside `Fn::Sub`) is taken as another Region, `${AWS::Region}` or a vault of the
    same template as the stack's own. Copies made outside the plan (a second plan in the DR Region, S3
    replication) are not seen. With `deployments:` configured, a copy to a vault that another deployment
    creates in its Region counts (the vault is found by Region, name and account), and a copy to a vault in
    one of the deployments' Regions that no deployment creates does not: the copy job fails until it exists.

    ## Fix safety
    Needs review: a copy action needs a vault in another Region, and every copy is billed storage and
    cross-Region transfer. In Terraform the fix adds a copy action to each rule and the vault through a
    provider alias for the paired Region. A CloudFormation stack creates resources in its own Region only, so
    there the fix is display-only: the copy action, and a second template (another stack or a StackSet
    instance in the destination Region) that creates the vault first.

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyAction.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_plan#copy_action
    """

    id = "RL307"
    name = "backup-no-cross-region-copy"
    severity = Severity.MEDIUM
    resource_types = PLAN_TYPES
    checkov_ids = ()
    graph_rule = True

    def check(self, res, ctx):
        rules = plan_rules(ctx, res)
        if isinstance(rules, Unknown):
            yield self.unknown(res, rules, what="the plan's rules")
            return
        if not rules:
            return
        answers, local, staying, missing = [], [], [], []
        for rule in rules:
            dests = copy_destinations(ctx, rule)
            if isinstance(dests, Unknown):
                answers.append(dests)
                continue
            if not dests:
                local.append(f"{rule.describe()} has no copy action")
            for dest in dests:
                if dest.missing:  # a vault in the application's Regions that no deployment creates
                    answers.append(False)
                    local.append(f"{dest.copy.describe()} goes to {dest.missing}")
                    missing.append(dest)
                    continue
                crosses = crosses_region(res, dest)
                answers.append(crosses)
                if crosses is False:
                    local.append(f"{dest.copy.describe()} goes to {dest.describe()} in the plan's own Region")
            staying.append(rule)
        verdict = t_or(answers)
        if verdict is True:
            return
        if isinstance(verdict, Unknown):
            yield self.unknown(res, verdict, at=PLAN_RULES, what="whether a copy leaves the plan's Region")
            return
        here = resource_region(res)
        where = here.describe() if not isinstance(here, Unknown) else "its Region"
        if missing and len(missing) == len(local):
            # every copy goes to a vault no deployment creates: another copy action is not the remedy
            yield self.fail(res, f"{res.address} keeps every recovery point in {where} ({'; '.join(local)}): create "
                                 f"the vault in the deployment that runs in that Region, or copy to a vault that "
                                 f"exists", at=PLAN_RULES)
            return
        several = _deployed_regions(ctx, res)
        yield self.fail(
            res,
            f"{res.address} keeps every recovery point in {where} ({'; '.join(local)}): an outage of that "
            f"Region or the loss of its vault leaves nothing to restore from"
            + (f" (the same file is deployed in {', '.join(several)}: copy each to another Region, for example "
               f"to the vault the other deployment creates)" if len(several) > 1 else ""),
            at=PLAN_RULES,
            # one literal copy Region cannot leave every Region the file is deployed in
            fix=None if len(several) > 1 else self._fix(ctx, res, staying),
        )

    @staticmethod
    def _fix(ctx, res, rules) -> Fix:
        """A copy action per rule to a vault in the Region paired with the plan's. Terraform creates the vault
        through an aliased provider; a CloudFormation stack cannot create it in another Region, so its fix is
        shown with the second stack that must create the vault first."""
        keep = max([d for d in (lifecycle_of(r).delete_after for r in rules) if isinstance(d, int)], default=0)
        region = res.meta.get("provider_region") if res.format == "terraform" else None
        changes, to, second = copy_fix(res, rules, region, keep)
        title = f"Add {'a `copy_action`' if res.format == 'terraform' else 'a `CopyActions` entry'} to a vault " \
                f"in another Region ({to})"
        note = "copies are billed storage and transfer; cold-tier recovery points cannot be copied across Regions"
        if res.format == "terraform":
            return Fix(title, changes, safety="review", note=f"the vault is created in {to} through a provider "
                                                             f"alias of its own; {note}")
        return manual_fix(title, f"a stack creates resources in its own Region only: create the vault {COPY_VAULT} in "
                                 f"{to} with a second stack or a StackSet instance there (the second template of the "
                                 f"snippet), then add the copy action; if this stack runs in {to}, pick another "
                                 f"Region", changes, note=note, elsewhere=second)


def _deployed_regions(ctx, res) -> list:
    """The Regions the configured deployments deploy this resource's root in (empty without deployments)."""
    if not res.meta.get("deployment"):
        return []
    by_root = ctx.graph.memo("deployed-regions", lambda: _regions_by_root(ctx.graph))
    return by_root.get(res.meta.get("root"), [])


def _regions_by_root(graph) -> dict:
    out: dict = {}
    for r in graph.resources:
        if r.meta.get("deployment"):
            regions = out.setdefault(r.meta.get("root"), [])
            if r.meta["deployment_region"] not in regions:
                regions.append(r.meta["deployment_region"])
    return out
