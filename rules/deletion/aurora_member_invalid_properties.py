from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import CLUSTER_ID, DELETION_PROTECTION
from rlint.rules.base import Fix, RemoveAttribute, Rule, SetAttribute
from rlint.rules.deletion._common import instance_role
from rlint.rules.graphutil.values import as_bool


class AuroraMemberInvalidProperties(Rule):
    """## What it does
    Flags CloudFormation `AWS::RDS::DBInstance` resources that belong to an Aurora cluster
    (`DBClusterIdentifier` set, or an `aurora*` engine) and turn on `DeletionProtection`.

    ## Why is this bad?
    Deletion protection of Aurora is a setting of the cluster: the instance-level setting does not apply to
    Aurora DB instances, and RDS rejects it ("Deletion Protection can only be applied on the Cluster level, not
    for individual instances"), so the stack fails to create the instance. Whoever wrote it meant to protect
    the data, which stays unprotected until `DeletionProtection: true` is set on the `AWS::RDS::DBCluster`.

    ## Example
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: aurora-mysql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
        DeletionProtection: true
    ```

    ## Use instead
    ```yaml
    Cluster:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-mysql
        DeletionProtection: true
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: aurora-mysql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
    ```

    ## Known problems
    CloudFormation only (Terraform's `aws_rds_cluster_instance` has no deletion protection argument). The
    catalogue names three settings AWS rejects on an Aurora member; each is reported by one rule only:
    `DeletionProtection` here, a `Snapshot` deletion policy by RL404, and `BackupRetentionPeriod` by RL313
    (native retention on a member or read replica). `DeletionProtection: false` is not flagged: it asks for
    nothing the cluster does not already decide (cfn-lint's E3682 reports any `DeletionProtection` on an
    `aurora*` engine, false included). A value or a membership that cannot be decided gives `unknown`. The
    CloudFormation and RDS API references say the instance setting does not apply to Aurora and that
    protection is the cluster's; the error quoted above is what the RDS API answers (terraform-provider-aws
    pull request 6009; cfn_nag issue 445 quotes CloudFormation's version of it).

    ## Fix safety
    Needs review: remove the property from the instance, and set `DeletionProtection: true` on the cluster if it
    is not set there (RL405 flags a cluster without it); after that, deleting the cluster takes two steps.
    `rlint fix` removes the property and sets it on the cluster of the same template.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html
    """

    id = "RL408"
    name = "aurora-member-invalid-properties"
    severity = Severity.HIGH
    resource_types = ("AWS::RDS::DBInstance",)

    def check(self, res, ctx):
        role = instance_role(ctx, res)
        if role in ("standalone", "replica"):
            return
        protection = as_bool(ctx.get(res, DELETION_PROTECTION))
        if isinstance(protection, Unknown):
            yield self.unknown(res, protection, at=DELETION_PROTECTION)
            return
        if protection is not True:
            return
        if isinstance(role, Unknown):
            yield self.unknown(res, role, what="whether the DB instance belongs to a cluster")
            return
        yield self.fail(
            res,
            f"{res.address} is an Aurora cluster member with `DeletionProtection` set to `true`: RDS "
            f"rejects deletion protection on a cluster instance, so the stack fails to deploy (set it on the "
            f"cluster)",
            at=DELETION_PROTECTION,
            fix=self._fix(ctx, res),
        )

    @staticmethod
    def _fix(ctx, res) -> Fix:
        """Remove it from the instance; the cluster of this template gets it when it lacks it."""
        title = "Remove `DeletionProtection` from the instance and set `DeletionProtection: true` on its DBCluster"
        changes = [RemoveAttribute(DELETION_PROTECTION)]
        clusters = ctx.graph.targets(res, attr=CLUSTER_ID.path(res.format), type="AWS::RDS::DBCluster")
        if len(clusters) == 1 and as_bool(ctx.get(clusters[0], DELETION_PROTECTION)) is not True:
            changes.append(SetAttribute(DELETION_PROTECTION, True, target=clusters[0]))
            return Fix(title, tuple(changes), safety="review",
                       note=f"deletion protection moves to {clusters[0].address}: deleting it must turn it off first")
        return Fix(title, tuple(changes), safety="safe",
                   note="deletion protection belongs to the cluster" + (", which has it" if clusters else
                                                                        ", which is not in this template"))
