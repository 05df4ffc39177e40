import re

from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import FINAL_SNAPSHOT_ID, REPLICATE_SOURCE, SKIP_FINAL_SNAPSHOT
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.data_value import judges_kept_data
from rlint.rules.graphutil.values import as_bool


def snapshot_name(res) -> str:
    """A valid snapshot identifier from the block name: letters, digits, single hyphens, a letter first; one per
    instance of a block with count or for_each (a second instance's snapshot of the same name would fail)."""
    base = re.sub(r"[^a-z0-9]+", "-", str(res.meta.get("name") or "db").lower()).strip("-") or "db"
    base = base if base[0].isalpha() else "db-" + base
    key = {"count": "-${count.index}", "for_each": "-${each.key}"}.get(res.meta.get("expansion"), "")
    return f"{base}{key}-final"


class DbSkipFinalSnapshot(Rule):
    """## What it does
    Flags Terraform RDS DB instances, Aurora/RDS DB clusters, DocumentDB and Neptune clusters with
    `skip_final_snapshot = true`.

    ## Why is this bad?
    When Terraform deletes the database -- `terraform destroy`, the block removed from the code, or a change
    that forces a replacement (a new engine, identifier or encryption key) -- it tells RDS not to take a final
    snapshot. The automated backups are deleted with the instance by default, so the data is gone for good:
    there is nothing left to restore from.

    ## Example
    ```hcl
    resource "aws_rds_cluster" "orders" {
      engine              = "aurora-postgresql"
      skip_final_snapshot = true
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_rds_cluster" "orders" {
      engine                    = "aurora-postgresql"
      skip_final_snapshot       = false
      final_snapshot_identifier = "orders-final"
    }
    ```

    ## Known problems
    Terraform only (CloudFormation's counterpart is the `Snapshot` deletion policy, RL401/RL402). A missing
    `skip_final_snapshot` is not flagged: the provider default is `false`. A missing
    `final_snapshot_identifier` is not flagged either: then the delete fails with an error, which loses nothing.
    Read replicas (`replicate_source_db`) are skipped: RDS takes no final snapshot of a replica, whose data is
    the source's. Deletion protection or `prevent_destroy` do not exempt the setting: both are turned off or
    bypassed (by removing the block) before a deliberate deletion, and that is when the snapshot matters.
    A value from a variable without a value gives `unknown`. A database that exists only in a test
    deployment is left out unless the configuration includes its class (`stateful: {include: [test-only]}`,
    docs/data-value.md).

    ## Fix safety
    Needs review: the final snapshot is billed until it is deleted, and a fixed `final_snapshot_identifier`
    makes a second destroy of a database with the same name fail until the first snapshot is deleted or
    renamed: a `count`/`for_each` block gets one per instance (`-${count.index}`, `-${each.key}`). An identifier
    that is written is kept; one from an input is kept too, and the note says it must not be null. Changing
    these arguments touches nothing in AWS until the database is deleted.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#skip_final_snapshot
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#skip_final_snapshot
    """

    id = "RL406"
    name = "db-skip-final-snapshot"
    severity = Severity.MEDIUM
    resource_types = ("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster")

    @judges_kept_data
    def check(self, res, ctx):
        if res.type == "aws_db_instance" and ctx.has(res, REPLICATE_SOURCE):  # an instance's read replica
            return
        skip = as_bool(ctx.get(res, SKIP_FINAL_SNAPSHOT))
        if isinstance(skip, Unknown):
            yield self.unknown(res, skip, at=SKIP_FINAL_SNAPSHOT)
            return
        if skip is not True:
            return
        yield self.fail(
            res,
            f"{res.address} has `skip_final_snapshot` set to {describe(skip)}: deleting or replacing it takes no final "
            f"snapshot, so its data is lost for good",
            at=SKIP_FINAL_SNAPSHOT, fix=self._fix(ctx, res))

    @staticmethod
    def _fix(ctx, res) -> Fix:
        """Without a final snapshot identifier RDS refuses the delete: the fix names one unless one is written
        (a null or empty one counts as none)."""
        note = "the final snapshot is billed until deleted; its name must be unique"
        named = ctx.get(res, FINAL_SNAPSHOT_ID) if ctx.has(res, FINAL_SNAPSHOT_ID) else None
        if isinstance(named, Unknown):
            return Fix("Set `skip_final_snapshot = false`", (SetAttribute(SKIP_FINAL_SNAPSHOT, False),),
                       safety="review", note=f"{note}; `final_snapshot_identifier` comes from an input that must "
                                             f"not be null, or the delete fails")
        if isinstance(named, str) and named:
            return Fix("Set `skip_final_snapshot = false`", (SetAttribute(SKIP_FINAL_SNAPSHOT, False),),
                       safety="review", note=note)
        return Fix("Set `skip_final_snapshot = false` and a `final_snapshot_identifier`",
                   (SetAttribute(SKIP_FINAL_SNAPSHOT, False), SetAttribute(FINAL_SNAPSHOT_ID, snapshot_name(res))),
                   safety="review", note=note)
