from rlint.model import Severity, Unknown
from rlint.rules.attrs.stateful import DELETION_POLICY
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.deletion._common import instance_role, may_be
from rlint.rules.graphutil.policies import written_policy


class CfnSnapshotOnClusterMember(Rule):
    """## What it does
    Flags CloudFormation `AWS::RDS::DBInstance` resources that belong to an Aurora cluster
    (`DBClusterIdentifier` set, or an `aurora*` engine) and ask for `DeletionPolicy: Snapshot`.

    ## Why is this bad?
    An Aurora DB instance holds no data of its own: the data lives in the cluster volume, and only the cluster
    can be snapshotted. CloudFormation's RDS handler therefore rejects a cluster member whose deletion policy
    asks for a snapshot ("DeletionPolicy:Snapshot cannot be specified for a cluster instance, use deletion
    policy on the cluster instead"), and the stack fails to create or update. The policy that protects the
    data belongs on the `AWS::RDS::DBCluster`.

    ## Example
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Snapshot
      Properties:
        Engine: aurora-postgresql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
    ```

    ## Use instead
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Delete
      Properties:
        Engine: aurora-postgresql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
    ```

    ## Known problems
    CloudFormation only (Terraform's `aws_rds_cluster_instance` has no final snapshot setting). Only
    `DeletionPolicy` is judged: the rejection is of the deletion policy when the instance is created, while an
    `UpdateReplacePolicy: Snapshot` on a member is not documented to fail (the RDS handler skips final
    snapshots for cluster instances when it deletes them), so it is not flagged. A membership that depends on
    an undecidable condition, or a policy that cannot be decided and may be `Snapshot`, gives `unknown`. Of
    the other settings AWS rejects on an Aurora member, `DeletionProtection` is RL408's and
    `BackupRetentionPeriod` is RL313's, so each fact is reported once. The AWS documentation says that a member
    defaults to `Delete` and that Aurora snapshots are taken of the cluster volume; the rejection itself is
    CloudFormation's RDS handler (aws-cloudformation-resource-providers-rds pull request 85), whose message is
    quoted above as users reported it (aws-cloudformation-templates issue 16).

    ## Fix safety
    Safe: the member's own policy keeps nothing either way; the cluster's `DeletionPolicy` (default `Snapshot`)
    and `UpdateReplacePolicy` decide what happens to the data (RL401, RL402). Changing a policy updates no
    resource.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_CreateSnapshotCluster.html
    """

    id = "RL404"
    name = "cfn-snapshot-on-cluster-member"
    severity = Severity.HIGH
    resource_types = ("AWS::RDS::DBInstance",)

    def check(self, res, ctx):
        role = instance_role(ctx, res)
        if role in ("standalone", "replica"):
            return
        policy = written_policy(res, DELETION_POLICY)
        if isinstance(policy, Unknown):
            if may_be(res, DELETION_POLICY, "Snapshot"):
                yield self.unknown(res, policy, at=DELETION_POLICY)
            return
        if policy != "Snapshot":
            return
        if isinstance(role, Unknown):
            yield self.unknown(res, role, what="whether the DB instance belongs to a cluster")
            return
        yield self.fail(
            res,
            f"{res.address} is an Aurora cluster member with `DeletionPolicy: Snapshot`: CloudFormation rejects a "
            f"snapshot policy on a cluster instance, so the stack fails to deploy",
            at=DELETION_POLICY,
            fix=Fix("Set `DeletionPolicy: Delete`",
                    (SetAttribute(DELETION_POLICY, "Delete"),),
                    note="a member holds no data of its own; the cluster's DeletionPolicy decides"),
        )
