from rlint.model import Severity, Unknown
from rlint.rules.base import Rule, manual_fix
from rlint.rules.data_value import judges_kept_data
from rlint.rules.dr.estimate import REGION
from rlint.rules.dr.model import STORE_TYPES, store_of
from rlint.rules.dr.objectives import objective_for

FOLD_NAMES = 3  # stores named in the one finding's message; the report lists every one (`covers`)


class DrNoRegionRecovery(Rule):
    """## What it does
    Flags data stores with no copy outside their Region (an advisory: severity info, which does not fail
    the run by default). Whether a workload must survive the loss of a Region is decided once per workload,
    so a root module's or a template's stores without such a copy are one finding (per deployment), at its
    first store in the root's own files, naming the others: the JSON report lists each under `covers`, SARIF
    as related locations, the text report on `also` lines. Each store is still judged on its own: a
    suppression on one store's block leaves that store out and keeps the others.

    A copy is a cross-Region read replica (referenced, or in Terraform named by an ARN whose identifier and
    Region are this instance's, as a cross-Region replica's `replicate_source_db` must be: the account may be
    known only at plan time) or replica cluster, an Aurora Global Database, a DynamoDB global table replica, EFS or S3 replication to another Region, an ElastiCache Global Datastore, replicated RDS
    automated backups, or an AWS Backup copy action to a vault in another Region. Not every store needs to
    survive the loss of a Region; when the store's DR objective (see RL701) covers the Region scenario,
    RL701 and RL702 judge it instead and this rule stays silent.

    ## Why is this bad?
    A Region-wide outage or a Region-wide control-plane problem leaves the data unreachable until the Region
    recovers, and a disaster in the Region loses it: every copy (Multi-AZ standby, replicas, snapshots,
    point-in-time backups) lives in the same Region.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        MultiAZ: true
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders_dr" {
      provider            = aws.dr # another Region
      replicate_source_db = aws_db_instance.orders.arn
      instance_class      = "db.m6g.large"
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        MultiAZ: true
        AutomaticBackupReplicationRegion: us-west-2
    ```

    ## Known problems
    Copies declared outside the scanned files (another stack, a central backup account, AWS Organizations backup
    policies) are not seen; a store tagged for such a plan (a tag whose key names backups, that no selection of
    the scan tests, with a value that is not an opt-out) gives `unknown`, as that plan may copy it. A read replica of another root module of the scan that names the instance by ARN
    gives `unknown`: both roots may or may not run in one account. A Data Lifecycle Manager policy counts for an EBS volume only through its
    cross-Region copy rules: a policy without one keeps its snapshots in its Region; a copying policy that
    certainly snapshots the volume (enabled, in its Region, every target tag carried) gives it a copy on the
    schedule's interval, and one that may (target tags or an attached instance not decided) leaves `unknown`. A CloudFormation stack's Region is decided at deployment, so a copy to a named
    Region counts as another Region. A copy whose destination or existence cannot be decided (a parameter
    without default, a selection that may apply) gives `unknown`. Aurora members and read replicas are parts of
    their source's recovery, and Memcached holds nothing to recover; none of them is flagged. Data that can be
    recreated or expires by itself (Terraform state-lock tables, Memcached, a Redis OSS or Valkey cache that
    keeps no snapshots, which RL310 reports, resources that exist only in a test deployment) is judged only when the configuration includes its class (`stateful: {include: [...]}`,
    docs/data-value.md).

    ## Fix safety
    A second Region is billed (storage, replicas, cross-Region transfer). There is no automatic fix: the
    destination Region and the kind of copy are choices to make by hand.

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
    """

    id = "RL703"
    name = "dr-no-region-recovery"
    severity = Severity.INFO
    resource_types = STORE_TYPES
    graph_rule = True
    folds_per_deployment = True  # whether a workload must survive a Region is decided once per workload

    def fold_message(self, findings: list) -> str:
        names = [f.resource for f in findings]
        shown = ", ".join(names[:FOLD_NAMES]) + (f" and {len(names) - FOLD_NAMES} more" if len(names) > FOLD_NAMES
                                                 else "")
        where = "this template" if findings[0].format == "cloudformation" else "this root module"
        return (f"{len(names)} data stores of {where} have no copy outside their Region ({shown}): a Region failure "
                f"makes their data unavailable until the Region recovers (give each a copy in another Region, or set "
                f"a recovery objective to say which must survive a Region: RL701, RL702)")

    def fold_fix_title(self, findings: list) -> str:
        return (f"Add a copy in another Region for each of the {len(findings)} stores (a cross-Region replica, "
                f"replicated backups, or an AWS Backup copy action)")

    @judges_kept_data
    def check(self, res, ctx):
        store = store_of(ctx, res)
        if store is None:
            return
        objective = objective_for(ctx, res)
        if objective is not None and not isinstance(objective, Unknown) and REGION in objective.scenarios \
                and (objective.rpo is not None or objective.rto is not None):
            return  # RL701/RL702 hold it to its objective
        est = store.estimates[REGION]
        if any(o.cross_region for o in est.options):
            return
        maybe = next((why for o, why in est.maybe if o.cross_region or o.rpo is None), None)
        if maybe is not None:
            yield self.unknown(res, maybe, what="whether it has a copy in another Region")
            return
        close = est.gaps[0].text if est.gaps else "a copy in another Region"
        yield self.fail(res, f"{res.address} ({store.kind}) has no copy outside its Region: a Region failure "
                             f"makes its data unavailable until the Region recovers (add {close})",
                        fix=manual_fix(f"Add {close}",
                                       "which second Region, and whether a backup copy, a replica or a global "
                                       "table, is a recovery and cost decision rlint cannot make",
                                       note="a second Region is billed: storage, replicas, cross-Region transfer"))
