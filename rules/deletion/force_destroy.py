from rlint.model import Severity, Unknown
from rlint.rules.attrs.stateful import FORCE_DESTROY
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.data_value import judges_kept_data
from rlint.rules.graphutil.values import as_bool

_CONTENTS = {"aws_s3_bucket": "every object (and every version)", "aws_backup_vault": "every recovery point"}


class ForceDestroy(Rule):
    """## What it does
    Flags Terraform S3 buckets and AWS Backup vaults with `force_destroy = true`.

    ## Why is this bad?
    AWS refuses to delete a bucket that still holds objects, or a vault that still holds recovery points: that
    refusal is the last line of defence when a `terraform destroy` runs in the wrong workspace or a refactoring
    drops the block. `force_destroy = true` makes Terraform empty the bucket -- every object and every version
    -- or delete every recovery point in the vault first, so the destroy succeeds and the data, or the backups
    that were meant to survive an accident, are gone.

    ## Example
    ```hcl
    resource "aws_s3_bucket" "invoices" {
      bucket        = "acme-invoices"
      force_destroy = true
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_s3_bucket" "invoices" {
      bucket = "acme-invoices"
    }
    ```

    ## Known problems
    Terraform only (CloudFormation cannot delete a non-empty bucket or vault at all). A missing `force_destroy`
    is not flagged: the default is `false`. `prevent_destroy` does not exempt it: removing the block from the
    code bypasses `prevent_destroy`, and `force_destroy` then empties the bucket. Buckets that receive logs
    (of a load balancer, a distribution, another bucket, a WAF ACL, or that only log delivery services may
    write into by their bucket policy) or tool output (Athena query results,
    CodePipeline artifacts) are not judged unless the configuration includes those classes (`stateful:
    include: [logs, artifacts]`, docs/data-value.md), nor are buckets that hold only files of a deployment
    (objects Terraform uploads, code a function loads) when nothing in the configuration may write anything
    else into them (`deployment-files`); a bucket that a module call rlint could not read
    receives gives `unknown` until the module is read (it may write its logs or artifacts there). Other
    buckets of disposable content are legitimate uses: suppress the finding with a reason. A value from a
    variable without a value gives `unknown`.

    ## Fix safety
    Safe: `force_destroy` is a Terraform-only setting, so changing it updates nothing in AWS. From then on a
    destroy of a bucket or vault that is not empty fails, and it must be emptied on purpose first.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/delete-a-vault.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket#force_destroy
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_vault#force_destroy
    """

    id = "RL407"
    name = "force-destroy"
    severity = Severity.MEDIUM
    resource_types = tuple(_CONTENTS)

    @judges_kept_data
    def check(self, res, ctx):
        forced = as_bool(ctx.get(res, FORCE_DESTROY))
        if isinstance(forced, Unknown):
            yield self.unknown(res, forced, at=FORCE_DESTROY)
            return
        if forced is not True:
            return
        yield self.fail(
            res,
            f"{res.address} has `force_destroy` set to {describe(forced)}: a destroy first deletes {_CONTENTS[res.type]} "
            f"in it, instead of failing while it holds data",
            at=FORCE_DESTROY,
            fix=Fix("Set `force_destroy = false`", (SetAttribute(FORCE_DESTROY, False),),
                    note="a destroy of a non-empty bucket or vault then fails until it is emptied on purpose"),
        )
