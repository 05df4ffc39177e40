from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.stateful import DELETION_POLICY
from rlint.rules.base import Rule
from rlint.rules.data_value import judges_kept_data
from rlint.rules.deletion._common import JUDGED_TYPES, instance_role, policy_fix
from rlint.rules.graphutil.policies import default_deletion_policy, written_policy


class CfnStatefulDeletedWithStack(Rule):
    """## What it does
    Flags CloudFormation resources that hold data worth keeping (databases, tables, volumes, file systems,
    Redis caches, keys, secrets set by hand ...) whose effective `DeletionPolicy` is `Delete`: written so, or
    left out on a type whose default is to delete.

    ## Why is this bad?
    Deleting the stack, or removing the resource from the template in an update, deletes the resource and its
    data with it. One mistaken `cloudformation delete-stack`, a stack that is torn down and recreated, or a
    refactoring that moves the resource to another logical id is enough to lose the data for good, with no
    snapshot to restore from. `Retain` keeps the resource; `Snapshot` keeps a final snapshot.

    ## Example
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
    ```

    ## Use instead
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Retain
      UpdateReplacePolicy: Retain
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
    ```

    ## Known problems
    CloudFormation only; in Terraform the counterparts are deletion protection and `lifecycle { prevent_destroy
    = true }` (RL405). The stateful types are cfn-lint's list (I3011) plus the SAM
    `AWS::Serverless::SimpleTable`, minus: `AWS::S3::Bucket` and `AWS::Backup::BackupVault` (a bucket that holds
    objects or a vault that holds recovery points cannot be deleted: the delete fails instead),
    `AWS::CloudFormation::Stack` (the nested stack's resources carry their own policies), and the DocumentDB and
    Neptune DB instances (cluster members without data of their own). A missing policy is not flagged on
    `AWS::RDS::DBCluster` and on an `AWS::RDS::DBInstance` without `DBClusterIdentifier`: their default is
    `Snapshot`. Aurora members and read replicas are skipped (a replica ignores deletion policies). A policy
    written as an intrinsic function is evaluated with the template's parameters and conditions when the
    template declares `AWS::LanguageExtensions`; a condition that cannot be decided, or an intrinsic policy
    without that transform (the template is rejected), gives `unknown`. `Snapshot` on a type that cannot
    snapshot is RL403's business. Data that can be recreated or expires by itself (log groups, queues, streams
    keeping records 7 days or less, secrets the template writes or generates, Memcached clusters, state-lock
    tables, resources that exist only in a test deployment) is judged only when the configuration includes its
    class (`stateful: {include: [...]}`, docs/data-value.md).

    ## Fix safety
    Needs review: a retained resource or final snapshot outlives the stack and is billed until it is deleted by
    hand, and a retained resource with a fixed name blocks recreating the stack under the same name. Changing
    the policy alone updates no resource.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/function-refs-in-policy-attributes.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    """

    id = "RL401"
    name = "cfn-stateful-deleted-with-stack"
    severity = Severity.HIGH
    resource_types = JUDGED_TYPES

    @judges_kept_data(persistence=False)  # a final snapshot is persistence: a cache without any is judged
    def check(self, res, ctx):
        role = instance_role(ctx, res)
        if role in ("member", "replica"):
            return
        policy = written_policy(res, DELETION_POLICY)
        if isinstance(policy, Unknown):
            yield self.unknown(res, policy, at=DELETION_POLICY)
            return
        if policy is MISSING:
            if isinstance(role, Unknown):
                return  # member: skipped; standalone: Snapshot by default
            if default_deletion_policy(res, role) != "Delete":
                return
            state = "has no `DeletionPolicy` (the default for this type is `Delete`)"
        elif policy == "Delete":
            if isinstance(role, Unknown):
                yield self.unknown(res, role, what="whether the DB instance belongs to a cluster")
                return
            state = "has `DeletionPolicy: Delete`"
        else:
            return
        yield self.fail(
            res,
            f"{res.address} ({res.type}) {state}: deleting the stack or removing the resource from the template "
            f"deletes it with its data",
            at=DELETION_POLICY,
            fix=policy_fix(ctx, res, DELETION_POLICY),
        )
