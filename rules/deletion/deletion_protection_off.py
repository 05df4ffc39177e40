from rlint.model import Severity, Unknown
from rlint.rules.attrs import dynamodb, rds
from rlint.rules.attrs.stateful import PREVENT_DESTROY
from rlint.rules.base import Fix, Rule, SetAttribute, describe, entry_attr
from rlint.rules.data_value import judges_kept_data
from rlint.rules.deletion._common import kept_by_stack
from rlint.rules.graphutil.policies import rds_instance_role
from rlint.rules.graphutil.values import as_bool

_INSTANCE_TYPES = ("aws_db_instance", "AWS::RDS::DBInstance")
_CLUSTER_TYPES = ("aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster", "AWS::RDS::DBCluster",
                  "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster")
_GLOBAL_TABLE = dynamodb.GLOBAL_TABLE_TYPE
_REPLICA_PROTECTION = "DeletionProtectionEnabled"


def _replicas_of(res):
    props = res.attrs.get("Properties")
    return props.get("Replicas") if isinstance(props, dict) else None


class DeletionProtectionOff(Rule):
    """## What it does
    Flags databases and tables that nothing protects from deletion: RDS DB instances, Aurora and RDS DB
    clusters, DocumentDB and Neptune clusters, and DynamoDB tables (every replica of a global table) without
    deletion protection, when the infrastructure code does not refuse to delete them either.

    ## Why is this bad?
    Without deletion protection a single delete call removes the database or table: a mistaken console click,
    a cleanup script pointed at the wrong account, `terraform destroy` in the wrong workspace, a stack deleted
    by hand. What survives is whatever backup happens to exist (an RDS instance's automated backups are
    deleted with it by default), and the application is down until a restore finishes, hours for a large
    database. With protection on, every delete fails until someone turns it off on purpose.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
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
    resource "aws_db_instance" "orders" {
      engine              = "postgres"
      instance_class      = "db.m6g.large"
      deletion_protection = true
    }
    ```
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
        DeletionProtectionEnabled: true
    ```

    ## Known problems
    The guard of the infrastructure code counts as well as the service's: in Terraform `lifecycle {
    prevent_destroy = true }`, and in CloudFormation its counterpart, `DeletionPolicy: Retain` (or
    `RetainExceptOnCreate`) together with `UpdateReplacePolicy: Retain`, so that no stack operation deletes the
    resource (CDK writes both by default for tables). Neither stops a delete made outside the tool (console,
    CLI, scripts); they are accepted because they stop the deletions the code itself would make. `Snapshot`
    policies are not a guard: the resource is still deleted. A Terraform plan does not record `lifecycle`
    blocks, so a resource read from a plan without deletion protection gives `unknown`. Terraform `replica`
    blocks of a table are not judged on their own; the table's `deletion_protection_enabled` is. Not checked:
    Aurora members (`aws_rds_cluster_instance`, CloudFormation instances with `DBClusterIdentifier` or an
    `aurora*` engine: protection is the cluster's, and RL408 reports it set on a member) and read replicas
    (their data is a copy of the source's), and tables generated from a SAM `AWS::Serverless::SimpleTable`,
    which cannot set deletion protection. A value from a variable or parameter without a value, or an
    undecidable condition, gives `unknown`. Data that can be recreated or expires by itself (Terraform
    state-lock tables, tables with time to live, tables that exist only in a test deployment) is judged only
    when the configuration includes its class (`stateful: {include: [...]}`, docs/data-value.md).

    ## Fix safety
    Needs review: nothing is replaced and there is no downtime, but every deliberate deletion (a teardown of a
    test environment, `terraform destroy`, a stack delete) now fails until the protection is turned off first.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html#USER_DeletionProtection
    - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
    - https://docs.aws.amazon.com/documentdb/latest/developerguide/db-cluster-delete.html
    - https://docs.aws.amazon.com/neptune/latest/userguide/manage-console-instances-delete.html
    - https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
    """

    id = "RL405"
    name = "deletion-protection-off"
    severity = Severity.MEDIUM
    resource_types = _INSTANCE_TYPES + _CLUSTER_TYPES + dynamodb.TABLE_TYPES + (_GLOBAL_TABLE,)
    checkov_ids = ("CKV_AWS_293", "CKV_AWS_139", "CKV2_AWS_58")
    trivy_ids = ("AVD-AWS-0177", "aws-rds-enable-deletion-protection")

    @judges_kept_data
    def check(self, res, ctx):
        if res.meta.get("sam_source"):
            return
        role = rds_instance_role(ctx, res) if res.type in _INSTANCE_TYPES else None
        if role in ("member", "replica"):
            return
        if res.type == _GLOBAL_TABLE:
            state, path = self._replicas_unprotected(res)
            attr = None
        else:
            attr = dynamodb.DELETION_PROTECTION if res.type in dynamodb.TABLE_TYPES else rds.DELETION_PROTECTION
            value = as_bool(ctx.get(res, attr))
            written = describe(value) if ctx.has(res, attr) else "not set, so `false`"
            state = value if isinstance(value, Unknown) or value is True else \
                f"`{attr.spelling(res.format)}` is {written}"
            path = None
        if state is True:
            return
        if isinstance(state, Unknown):
            yield self.unknown(res, state, at=attr, path=path)
            return
        guard = self._guarded_by_code(ctx, res)
        if guard is True:
            return
        for undecided in (guard, role):
            if isinstance(undecided, Unknown):
                yield self.unknown(res, undecided, what="whether anything keeps the resource from deletion")
                return
        what = "table" if "DynamoDB" in res.type or "dynamodb" in res.type else "database"
        code = "no `lifecycle { prevent_destroy = true }`" if res.format == "terraform" else \
            "no `Retain` on both DeletionPolicy and UpdateReplacePolicy"
        yield self.fail(
            res,
            f"{res.address} has no deletion protection ({state}) and {code}: a single delete call, or a destroy run "
            f"in the wrong place, removes the {what} with its data",
            at=attr,
            path=path,
            fix=self._fix(res, attr),
        )

    @staticmethod
    def _replicas_unprotected(res):
        """A global table: True when every replica is protected, else a description or an Unknown."""
        replicas = _replicas_of(res)
        if isinstance(replicas, Unknown):
            return replicas, ("Properties", "Replicas")
        if not isinstance(replicas, list):
            return True, None  # no replicas: the template is invalid, nothing to judge
        open_regions, first, undecided = [], None, None
        for i, replica in enumerate(replicas):
            value = as_bool(replica.get(_REPLICA_PROTECTION, False)) if isinstance(replica, dict) else replica
            if isinstance(value, Unknown):
                undecided = undecided or (value, ("Properties", "Replicas", i))
            elif value is not True:
                region = replica.get("Region") if isinstance(replica, dict) else None
                open_regions.append(region if isinstance(region, str) else f"replica {i + 1}")
                first = ("Properties", "Replicas", i) if first is None else first
        if open_regions:
            return f"`{_REPLICA_PROTECTION}` is not true on the replica in {', '.join(open_regions)}", first
        return undecided if undecided is not None else (True, None)

    @staticmethod
    def _guarded_by_code(ctx, res):
        """Whether the infrastructure code refuses to delete the resource: True, False or an Unknown."""
        if res.format != "terraform":
            return kept_by_stack(res)
        if res.meta.get("from_plan"):
            return Unknown("a Terraform plan does not record `lifecycle { prevent_destroy }`")
        return as_bool(ctx.get(res, PREVENT_DESTROY))

    @staticmethod
    def _fix(res, attr):
        note = "deliberate deletions must turn it off first"
        if attr is None:  # each global table replica that is not protected
            replicas = _replicas_of(res)
            changes = tuple(SetAttribute(entry_attr(res, ("Properties", "Replicas", i, _REPLICA_PROTECTION)), True)
                            for i, replica in enumerate(replicas if isinstance(replicas, list) else [])
                            if isinstance(replica, dict) and as_bool(replica.get(_REPLICA_PROTECTION)) is not True)
            return Fix(f"Set `{_REPLICA_PROTECTION}: true` on every replica", changes, safety="review", note=note)
        return Fix(f"Set `{attr.spelling(res.format)}` to `true`", (SetAttribute(attr, True),), safety="review",
                   note=note)
