from rlint.model import Severity, Unknown
from rlint.rules.attrs.stateful import DELETION_POLICY, SNAPSHOT_TYPES, UPDATE_REPLACE_POLICY
from rlint.rules.base import Rule
from rlint.rules.deletion._common import JUDGED_TYPES, may_be, policy_fix
from rlint.rules.graphutil.policies import written_policy

# what CloudFormation does in place of the snapshot, per policy
_CONSEQUENCE = {
    "DeletionPolicy": "deleting the stack or removing the resource from the template deletes it with its data",
    "UpdateReplacePolicy": "an update that replaces it deletes the old resource with its data",
}


class CfnSnapshotUnsupported(Rule):
    """## What it does
    Flags CloudFormation resources that hold data and ask for `DeletionPolicy: Snapshot` or
    `UpdateReplacePolicy: Snapshot` on a type that CloudFormation cannot snapshot (a DynamoDB table, an EFS
    file system, a queue, a log group, a KMS key ...).

    ## Why is this bad?
    Only a few types support the `Snapshot` policy: EBS volumes, ElastiCache clusters and replication groups,
    RDS DB instances and clusters, DocumentDB and Neptune clusters, and Redshift clusters. On any other type
    CloudFormation accepts the template and falls back to the default, `Delete`: the stack deploys, everyone
    believes a final snapshot will be kept, and the day the stack is deleted or the resource replaced, the
    data is gone with nothing to restore from.

    ## Example
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Snapshot
      UpdateReplacePolicy: Snapshot
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
    CloudFormation only. The types judged are the stateful types of RL401 that are not in the snapshot list
    (the CloudFormation user guide's list plus `AWS::DocDB::DBCluster`, which cfn-lint also accepts). Not
    flagged, because nothing is lost when the policy falls back to `Delete`: types that hold no data
    (`Snapshot` on a Lambda function is as meaningless, but cfn-lint's E3035/E3036 report it), S3 buckets and
    backup vaults (their delete fails while they hold objects or recovery points), nested stacks, and
    DocumentDB and Neptune DB instances (their data is the cluster's). `Snapshot` on a Memcached
    `AWS::ElastiCache::CacheCluster` is not flagged either: Memcached keeps no durable data. A policy written
    as an intrinsic function that cannot be decided gives `unknown` when one of its branches (or a parameter)
    may be `Snapshot`. `Snapshot` on an Aurora member DB instance is RL404's business. The fall-back to `Delete`
    is documented for `UpdateReplacePolicy`; for `DeletionPolicy` the CloudFormation guide only lists the types
    that support `Snapshot`, and the same silent fall-back is what the AWS CDK maintainers observed (aws-cdk
    pull request 20668), so the finding does not claim a deploy error.

    ## Fix safety
    Needs review: `Retain` keeps the resource after the stack is deleted or the resource is replaced, and it is
    billed until someone deletes it; a retained resource with a fixed name blocks recreating it under that name.
    Changing a policy updates no resource. Where a point-in-time copy is what was meant, add the resource to an
    AWS Backup plan as well (RL302).

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/function-refs-in-policy-attributes.html
    """

    id = "RL403"
    name = "cfn-snapshot-unsupported"
    severity = Severity.HIGH
    resource_types = tuple(t for t in JUDGED_TYPES if t not in SNAPSHOT_TYPES)

    def check(self, res, ctx):
        for attr in (DELETION_POLICY, UPDATE_REPLACE_POLICY):
            policy = written_policy(res, attr)
            if isinstance(policy, Unknown):
                if may_be(res, attr, "Snapshot"):
                    yield self.unknown(res, policy, at=attr)
                continue
            if policy != "Snapshot":
                continue
            key = attr.cloudformation
            yield self.fail(
                res,
                f"{res.address} ({res.type}) has `{key}: Snapshot`, but this type cannot be snapshotted: "
                f"CloudFormation falls back to `Delete`, so {_CONSEQUENCE[key]}",
                at=attr,
                fix=policy_fix(ctx, res, attr),
            )
