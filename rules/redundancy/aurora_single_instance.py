import re

from rlint.model import Severity, Unknown
from rlint.rules.attrs.aurora import (CLUSTER_TYPES, GLOBAL_CLUSTER, GLOBAL_SOURCE, GLOBAL_TYPES, INSTANCE_CLASS,
                                      MASTER_USERNAME)
from rlint.rules.attrs.rds import DB_CLUSTER_INSTANCE_CLASS, ENGINE, ENGINE_MODE, SCALABILITY_TYPE
from rlint.rules.base import AddResource, Attr, Fix, Rule, SetAttribute
from rlint.rules.graphutil.aurora import autoscaled_readers, members_of

DEFAULT_CLASS = "db.r6g.large"
# the meta-argument: an instance block counted to one gets a second instance where its count is written
COUNT = Attr("count", "count", None)


class AuroraSingleInstance(Rule):
    """## What it does
    Flags Aurora clusters (provisioned or Serverless v2) with fewer than two DB instances: the
    `aws_rds_cluster_instance` resources whose `cluster_identifier` names the cluster (after `count` and
    `for_each`), or the CloudFormation `AWS::RDS::DBInstance` resources whose `DBClusterIdentifier` names it.

    ## Why is this bad?
    Aurora keeps six copies of the data across three Availability Zones, but the compute is only as
    redundant as the instances. With a single instance, a host failure, an instance crash or an AZ outage
    leaves the cluster without a writer until Aurora creates a new instance, which takes minutes to tens of
    minutes, and a maintenance reboot is an outage. With a reader in another AZ, Aurora promotes the reader
    in about a minute. A cluster with no instance at all cannot serve queries.

    ## Example
    ```hcl
    resource "aws_rds_cluster" "app" {
      engine          = "aurora-postgresql"
      master_username = "app"
    }

    resource "aws_rds_cluster_instance" "app" {
      cluster_identifier = aws_rds_cluster.app.id
      engine             = aws_rds_cluster.app.engine
      instance_class     = "db.r6g.large"
    }
    ```
    ```yaml
    Cluster:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-postgresql
        MasterUsername: app
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        DBClusterIdentifier: !Ref Cluster
        Engine: aurora-postgresql
        DBInstanceClass: db.r6g.large
    ```

    ## Use instead
    ```hcl
    resource "aws_rds_cluster_instance" "app" {
      count              = 2 # a writer and a reader it can fail over to
      cluster_identifier = aws_rds_cluster.app.id
      engine             = aws_rds_cluster.app.engine
      instance_class     = "db.r6g.large"
    }
    ```
    ```yaml
    Reader:
      Type: AWS::RDS::DBInstance
      Properties:
        DBClusterIdentifier: !Ref Cluster
        Engine: aurora-postgresql
        DBInstanceClass: db.r6g.large
    ```

    ## Known problems
    Not flagged: Multi-AZ DB clusters (engine `mysql` or `postgres` with `db_cluster_instance_class` /
    `DBClusterInstanceClass`), whose writer and two standbys RDS creates without instance resources; Aurora
    Serverless v1 (`engine_mode = "serverless"`), which has no instances; Aurora Limitless Database clusters
    (`cluster_scalability_type` / `ClusterScalabilityType` `limitless`), which serve through a DB shard group
    instead of instances; a cluster with one instance whose Aurora Auto Scaling target
    (`aws_appautoscaling_target` / `AWS::ApplicationAutoScaling::ScalableTarget` on
    `rds:cluster:ReadReplicaCount`) keeps a `min_capacity` / `MinCapacity` of at least one replica. A
    secondary cluster of an Aurora global database (`global_cluster_identifier` without master credentials
    and not the global cluster's source) is reported at low severity: it may run with one instance, or none,
    on purpose. `unknown` when an instance's `count`, `for_each` or condition cannot be decided, when an
    instance in the same module or template names its cluster through a value that cannot be decided, when
    the engine, engine mode, scalability type or an Auto Scaling minimum cannot be decided (or the engine is
    not set, as in a module whose `engine` variable defaults to null). Instances created in another module or
    stack are not seen: suppress with a reason.

    ## Fix safety
    Needs review: a reader instance of the same class doubles the compute cost of the cluster. Adding it
    causes no downtime. Give it the same instance class as the writer so a failover keeps the capacity,
    and let RDS place it (or pin it to another AZ than the writer).

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-failover.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbcluster.html
    """

    id = "RL102"
    name = "aurora-single-instance"
    severity = Severity.HIGH
    resource_types = CLUSTER_TYPES
    graph_rule = True

    def check(self, res, ctx):
        engine = ctx.get(res, ENGINE)
        if isinstance(engine, str) and not engine.lower().startswith("aurora"):
            return  # a Multi-AZ DB cluster (mysql/postgres) or not a relational cluster at all
        if isinstance(engine, Unknown) and ctx.has(res, DB_CLUSTER_INSTANCE_CLASS):
            return  # only Multi-AZ DB clusters take a cluster instance class
        if not isinstance(engine, (str, Unknown)):
            # required in both formats (Terraform since provider 5.0, "aurora" before): a module's null default
            engine = Unknown("`engine` is not set")
        mode = ctx.get(res, ENGINE_MODE)
        if isinstance(mode, str) and mode.lower() == "serverless":
            return
        scalability = ctx.get(res, SCALABILITY_TYPE)
        if isinstance(scalability, str) and scalability.lower() == "limitless":
            return  # a Limitless Database serves through its shard group, without DB instances
        members = members_of(ctx, res)
        if len(members.certain) >= 2:
            return
        # Aurora Auto Scaling adds readers to a cluster that has a writer, never below its minimum
        readers = autoscaled_readers(ctx, res) if members.certain else 0
        if isinstance(readers, int) and len(members.certain) + readers >= 2:
            return
        for undecided, attr in ((engine, ENGINE), (mode, ENGINE_MODE), (scalability, SCALABILITY_TYPE)):
            if isinstance(undecided, Unknown):
                yield self.unknown(res, undecided, at=attr)
                return
        if isinstance(readers, Unknown):
            yield self.unknown(res, readers, what="the number of instances in the cluster")
            return
        if members.uncertain:
            _inst, why = members.uncertain[0]
            yield self.unknown(res, why, what="the number of instances in the cluster")
            return
        n = len(members.certain)
        shown = f"one instance ({members.certain[0].address})" if n == 1 else "no instance"
        secondary = self._global_secondary(ctx, res)
        impact = ("a failure of that instance or its AZ leaves the cluster without a writer until Aurora "
                  "creates a new one" if n == 1 else "the cluster cannot serve any query")
        if secondary:
            impact += " (a global-database secondary: after a Region failover it has to serve writes)"
        result = self.fail(res, f"{res.address} is an Aurora cluster with {shown}: {impact}",
                           fix=self._fix(ctx, res, members.certain))
        result.severity = Severity.LOW if secondary else None
        yield result

    @staticmethod
    def _global_secondary(ctx, res) -> bool:
        """In a global database, without master credentials, and not the global cluster's source."""
        if not ctx.has(res, GLOBAL_CLUSTER) or ctx.has(res, MASTER_USERNAME):
            return False
        sources = ctx.graph.referrers(res, attr=GLOBAL_SOURCE.path(res.format))
        return not any(s.type in GLOBAL_TYPES for s in sources)

    @staticmethod
    def _fix(ctx, res, members) -> Fix:
        """A reader beside the one instance; a writer and a reader for a cluster that has none. An instance
        block whose `count` is a variable or a local (the cluster itself not counted) gets a count of 2
        instead, where that value is set: a tfvars entry for one environment, a variable default."""
        if len(members) == 1 and members[0].format == "terraform" and members[0].meta.get("expansion") == "count" \
                and not res.meta.get("expansion") \
                and re.fullmatch(r"\s*(var|local)\.\w+\s*", members[0].meta.get("expansion_expr") or ""):
            return Fix(f"Give `{members[0].block_address}` a second instance (count = 2): a reader Aurora can "
                       f"promote", (SetAttribute(COUNT, 2, target=members[0]),), safety="review",
                       note="an instance Aurora can promote; each instance is billed, no downtime")
        cls = ctx.get(members[0], INSTANCE_CLASS) if members else None
        cls = cls if isinstance(cls, str) else DEFAULT_CLASS
        engine = ctx.get(res, ENGINE)
        roles = ("reader",) if members else ("writer", "reader")
        adds = []
        for role in roles:
            if res.format == "terraform":
                # the cluster by its block address, as every fix writes it: the fix writer reaches a cluster
                # inside a called module through outputs (fixes/terraform_place.py), which a bare
                # `aws_rds_cluster.x` would not name
                name = f"{res.block_address.rsplit('.', 1)[-1]}_{role}"
                attrs = {"cluster_identifier": f"${{{res.block_address}.id}}",
                         "engine": f"${{{res.block_address}.engine}}", "instance_class": cls}
                adds.append(AddResource("aws_rds_cluster_instance", name, attrs))
            else:
                name = f"{res.address}{role.capitalize()}"
                attrs = {"DBClusterIdentifier": {"Ref": res.address}, "DBInstanceClass": cls}
                if isinstance(engine, str):
                    attrs["Engine"] = engine
                adds.append(AddResource("AWS::RDS::DBInstance", name, attrs))
        names = " and ".join(f"`{a.name}`" for a in adds)
        return Fix(f"Add {'a reader instance' if members else 'a writer and a reader instance'} {names} to the "
                   f"cluster", tuple(adds), safety="review",
                   note="an instance Aurora can promote; each instance is billed, no downtime")
