from rlint.model import Severity, Unknown
from rlint.rules.attrs.efs import EFS_TYPES
from rlint.rules.attrs.rds import REPLICATE_SOURCE
from rlint.rules.attrs.stateful import BACKUP_KINDS, BACKUP_STATEFUL_TYPES, EBS_VOLUME_TYPES
from rlint.rules.backup.backup_kit import copy_region, kit_for
from rlint.rules.base import TERRAFORM, Fix, Rule
from rlint.rules.data_value import judges_kept_data
from rlint.rules.graphutil import dlm
from rlint.rules.graphutil.backup import coverage, none_selects
from rlint.rules.graphutil.policies import rds_instance_role


class StatefulResourceNotInBackupPlan(Rule):
    """## What it does
    Flags stateful resources that no AWS Backup selection selects: RDS DB instances (not Aurora members or
    read replicas), Aurora and other RDS, DocumentDB and Neptune clusters, DynamoDB tables, FSx file systems,
    EBS volumes and Redshift clusters (EFS file systems are RL311's). A selection (`aws_backup_selection`,
    `AWS::Backup::BackupSelection`) selects a resource by an ARN reference, an ARN pattern (`"*"`,
    `arn:aws:rds:*:*:db:*`), or its tags (`selection_tag`, `condition`, `ListOfTags`, `Conditions`, matched
    against the resource's tags together with the Terraform provider's `default_tags`), minus `not_resources`.

    ## Why is this bad?
    Native backups stop at 35 days (RDS, Aurora, DocumentDB, Neptune point-in-time recovery, DynamoDB PITR) or
    do not exist at all (EBS, most FSx, EFS unless its backup policy is on). Without an AWS Backup plan there is
    no longer history, no copy in another account or region, and nothing to restore once corruption is noticed
    later than the native window, or once the resource itself is deleted with its automated backups.

    ## Example
    ```hcl
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
    }
    ```
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
    ```

    ## Use instead
    ```hcl
    resource "aws_backup_selection" "orders" {
      name         = "orders"
      plan_id      = aws_backup_plan.daily.id
      iam_role_arn = aws_iam_role.backup.arn
      resources    = [aws_dynamodb_table.orders.arn]
    }
    ```
    ```yaml
    OrdersBackup:
      Type: AWS::Backup::BackupSelection
      Properties:
        BackupPlanId: !Ref DailyPlan
        BackupSelection:
          SelectionName: orders
          IamRoleArn: !GetAtt BackupRole.Arn
          Resources:
            - !GetAtt Orders.Arn
    ```

    ## Known problems
    Only selections in the scanned files count: backups managed elsewhere (a central backup stack, an AWS
    Organizations backup policy, tags added outside the configuration such as CloudFormation stack tags) are not
    seen, so scan them together or suppress the rule with a reason; a resource tagged for such a plan (a tag
    whose key names backups, `BackupPolicy = "Prod"`, with a value that is not an opt-out such as `none` or
    `false`) that no selection of the scan tests gives `unknown`, since an AWS Organizations backup policy
    selects by tags only. Undecidable inputs give `unknown`: tags from
    a variable or parameter without a value, selections whose ARNs come from inputs, ARN patterns that need the
    resource's name, region or account when the configuration does not set them, selections under an undecidable
    condition or count. A Terraform module's resources inherit `default_tags` from the caller's provider, which
    a scan of the module alone cannot see. ARN patterns assume the `aws` partition when the region is not known.
    Service opt-in settings (required for Aurora, DocumentDB and Neptune with tag-only selections) are account
    settings and are not checked. EFS file systems are left to RL311 (efs-backup-disabled), which reports one
    that neither automatic backups (AWS Backup's default plan) nor a selection covers, so that the same missing
    backup is not reported twice. Data that can be recreated or expires by itself (Terraform state-lock tables,
    tables with time to live, buckets of logs or tool output, tables that exist only in a test deployment) is
    judged only when the configuration includes its class (`stateful: {include: [...]}`, docs/data-value.md).
    An EBS volume that a Data Lifecycle Manager policy snapshots is still reported (its snapshots are kept by
    count, outside AWS Backup's vaults, retention and copy actions); the message names the policy.

    ## Fix safety
    Needs review: backups and their copies are billed storage. The fix adds one AWS Backup set-up per module
    or template, whatever the number of uncovered resources: a vault, a plan whose daily rule keeps
    recovery points 90 days and, in Terraform, copies them to a vault in a second Region (the usual pairing
    of the provider's Region, `us-west-2` when it is unknown); a CloudFormation stack cannot create that vault,
    so its plan copies nowhere until RL307's display-only fix (a second stack) is applied; an IAM role with the AWS managed policy
    `AWSBackupServiceRolePolicyForBackup`, and one selection listing every uncovered resource by ARN.
    Names that AWS keeps unique: in CloudFormation the vault and the plan are `rlint-backup-` and the
    stack's id (a template deployed as two stacks in one account and Region, or by a StackSet, does not
    collide) and the role is named by CloudFormation; in Terraform the role takes `name_prefix` (role names
    are unique across the account's Regions) and the vault and plan are `rlint-backup`: two root modules
    given the kit in one account and Region need one of them renamed. It changes no existing resource; `rlint fix --unsafe-fixes` writes it (`--generate FILE.tf` puts the
    Terraform in a new file).

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupselection-backupselectionresourcetype.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_selection
    """

    id = "RL302"
    name = "stateful-resource-not-in-backup-plan"
    severity = Severity.MEDIUM
    # EFS is RL311's (efs-backup-disabled): one finding per file system, with the EFS-specific fix
    resource_types = tuple(t for t in BACKUP_STATEFUL_TYPES if t not in EFS_TYPES)
    checkov_ids = ("CKV2_AWS_8", "CKV2_AWS_9")
    graph_rule = True

    @judges_kept_data
    def check(self, res, ctx):
        role = self._role(ctx, res)
        if role in ("member", "replica"):
            return
        covered, sels, _by = coverage(ctx, res)
        if covered is True:
            return
        if isinstance(covered, Unknown):
            yield self.unknown(res, covered, what="whether an AWS Backup selection selects it")
            return
        if isinstance(role, Unknown):
            yield self.unknown(res, role, what="whether the DB instance belongs to a cluster")
            return
        label = BACKUP_KINDS[res.type].label
        yield self.fail(res, f"{res.address} ({label}) is in no AWS Backup plan: {none_selects(sels)}; "
                             f"{self._other_backups(ctx, res)}", fix=self._fix(ctx, res))

    @staticmethod
    def _other_backups(ctx, res) -> str:
        """What it has instead. An EBS volume has no backups of its own; a Data Lifecycle Manager policy that
        certainly snapshots it is named, so the finding does not read as if the policy were missed."""
        if res.type not in EBS_VOLUME_TYPES:
            return "it has no backups beyond its native ones"
        snapshots = [p.address for p in dlm.policies(ctx)
                     if dlm.runs(ctx, p) is True and dlm.targets(ctx, p, res) is True]
        if not snapshots:
            return "an EBS volume has no backups of its own"
        return (f"its only backups are the snapshots of {', '.join(snapshots)} (Data Lifecycle Manager: kept as "
                f"the policy's schedule retains them, outside AWS Backup's vaults, retention and copies)")

    @staticmethod
    def _role(ctx, res):
        if res.type == "aws_db_instance":
            return "replica" if ctx.has(res, REPLICATE_SOURCE) else "standalone"
        if res.type == "AWS::RDS::DBInstance":
            return rds_instance_role(ctx, res)
        return None

    @staticmethod
    def _fix(ctx, res) -> Fix:
        if res.format == TERRAFORM:
            arn = f"${{{res.block_address}.arn}}"
            region = res.meta.get("provider_region")
        else:
            kind = BACKUP_KINDS[res.type]
            arn = {"Fn::Sub": f"arn:${{AWS::Partition}}:{kind.service}:${{AWS::Region}}:${{AWS::AccountId}}:"
                              f"{kind.prefix}${{{res.address}}}"}
            region = None
        copy_to = copy_region(region)
        if res.format == TERRAFORM:
            return Fix("Add an AWS Backup plan (90 days, copied to a second Region) and select it",
                       kit_for(res.format, arn, region), safety="review",
                       note=f"backups and the copies in {copy_to} are billed; check the copy Region")
        # the copy needs a vault in another Region, which this stack cannot create: RL307 shows that step
        return Fix("Add an AWS Backup plan (90 days) and select it", kit_for(res.format, arn, region),
                   safety="review", follow_up=("RL307",),
                   note="backups are billed; copies to a second Region need a vault there that another stack "
                        "creates (RL307 then shows both)")
