from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import AVAILABILITY_ZONE
from rlint.rules.graphutil.aurora import members_of
from rlint.rules.base import Fix, RemoveAttribute, Rule
from rlint.rules.graphutil.zones import Zone, zone_of_reference



class AuroraInstancesSameAz(Rule):
    """## What it does
    Flags Aurora clusters (`aws_rds_cluster` / `AWS::RDS::DBCluster`) whose two or more instances
    (`aws_rds_cluster_instance` with `cluster_identifier`, CloudFormation `AWS::RDS::DBInstance` with
    `DBClusterIdentifier`, count and for_each expanded) are all pinned to the same Availability Zone
    (`availability_zone` / `AvailabilityZone`).

    ## Why is this bad?
    Aurora fails over by promoting a reader. When the writer and every reader sit in one zone, an outage of
    that zone takes all of them down together: there is no reader to promote, so Aurora has to create a new
    instance in another zone, which takes far longer (typically ten minutes or more) than a promotion (about
    a minute). The cluster's storage survives across zones, but nothing can serve it in the meantime.

    ## Example
    ```hcl
    resource "aws_rds_cluster_instance" "app" {
      count              = 2
      cluster_identifier = aws_rds_cluster.app.id
      instance_class     = "db.r6g.large"
      engine             = aws_rds_cluster.app.engine
      availability_zone  = "eu-west-1a"
    }
    ```
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        DBClusterIdentifier: !Ref AppCluster
        Engine: aurora-postgresql
        DBInstanceClass: db.r6g.large
        AvailabilityZone: !Select [0, !GetAZs ""]
    Reader:
      Type: AWS::RDS::DBInstance
      Properties:
        DBClusterIdentifier: !Ref AppCluster
        Engine: aurora-postgresql
        DBInstanceClass: db.r6g.large
        AvailabilityZone: !Select [0, !GetAZs ""]
    ```

    ## Use instead
    ```hcl
    resource "aws_rds_cluster_instance" "app" {
      count              = 2
      cluster_identifier = aws_rds_cluster.app.id
      instance_class     = "db.r6g.large"
      engine             = aws_rds_cluster.app.engine
      availability_zone  = data.aws_availability_zones.available.names[count.index]
    }
    ```
    ```yaml
    Reader:
      Type: AWS::RDS::DBInstance
      Properties:
        DBClusterIdentifier: !Ref AppCluster
        Engine: aurora-postgresql
        DBInstanceClass: db.r6g.large
        AvailabilityZone: !Select [1, !GetAZs ""]
    ```

    ## Known problems
    Not flagged: clusters with fewer than two instances (RL102), clusters where any instance sets no zone
    (RDS places it, normally in another zone), instances in zones that differ, Multi-AZ DB clusters
    (engine `mysql`/`postgres`, whose instances RDS creates across three zones) and Serverless v1, which
    have no instance resources. Zones given by position (`Fn::Select` over `Fn::GetAZs`,
    `data.aws_availability_zones.<x>.names[i]`) count as the same zone when the list and the index match.
    The result is `unknown` when a zone comes from a variable or parameter without default or a module
    output, when zone names, ids and positions are mixed, or when an instance block's count is unknown.
    Instances that join the cluster through a literal identifier rather than a reference are not found.

    ## Fix safety
    Safe for data, but moving an instance to another zone replaces it (the zone is fixed at creation): set
    a different zone on the readers, or remove the setting, and apply when a brief reader outage (or a
    failover, if the writer moves) is acceptable.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-failover.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance#availability_zone
    """

    id = "RL109"
    name = "aurora-instances-same-az"
    severity = Severity.MEDIUM
    resource_types = ("aws_rds_cluster", "AWS::RDS::DBCluster")
    graph_rule = True

    def check(self, res, ctx):
        found = members_of(ctx, res)
        members = found.certain + [m for m, _why in found.uncertain]
        if len(members) < 2:
            if found.uncertain:
                yield self.unknown(res, Unknown("the number of instances is unknown"),
                                   what="the zones of its instances")
            return
        zones, unknowns = [], []
        for m in members:
            z = zone_of_reference(ctx.graph, m, ctx.get(m, AVAILABILITY_ZONE))
            if z is None:
                return  # RDS places this instance: not pinned
            (zones.append(z) if isinstance(z, Zone) else unknowns.append(z))
        if len(set(zones)) >= 2 and len({z.kind for z in zones}) == 1:
            return
        if unknowns or len({z.kind for z in zones}) > 1 or found.uncertain:
            because = unknowns[0] if unknowns else Unknown(
                "the number of instances is unknown" if len({z.kind for z in zones}) == 1
                else "the zones are named in different ways (names, ids, positions) that cannot be compared")
            yield self.unknown(res, because, what="the zones of its instances")
            return
        names = ", ".join(m.address for m in members)
        yield self.fail(
            res,
            f"every instance of {res.address} ({names}) is pinned to {zones[0].label}: a zone outage leaves no "
            f"reader to promote",
            fix=Fix(f"Pin the readers to other Availability Zones, or remove `{AVAILABILITY_ZONE.spelling(res.format)}` "
                    "from them so RDS spreads them", self._unpin(members), safety="review",
                    note="changing an instance's zone replaces that instance"),
        )

    @staticmethod
    def _unpin(members: list) -> tuple:
        """Remove the zone from every member but the first (a block with count is one edit for all)."""
        seen, changes = set(), []
        for m in members:
            where = (m.file, m.span)
            if where not in seen:
                seen.add(where)
                changes.append(RemoveAttribute(AVAILABILITY_ZONE, target=m))
        return tuple(changes[1:] if len(changes) > 1 else changes)
