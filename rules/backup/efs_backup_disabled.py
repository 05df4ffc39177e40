from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.efs import (EFS_BACKUP_POLICY_STATUS, EFS_TYPES, ENABLED, TF_EFS_BACKUP_POLICY,
                                   TF_POLICY_FILE_SYSTEM, TF_POLICY_STATUS)
from rlint.rules.base import TERRAFORM, AddResource, Fix, Rule, SetAttribute
from rlint.rules.data_value import judges_kept_data
from rlint.rules.graphutil.backup import coverage, efs_backup_policy, none_selects

_NOTE = "backups are billed storage; AWS Backup's default plan keeps daily backups for 35 days"


class EfsBackupDisabled(Rule):
    """## What it does
    Flags EFS file systems that nothing backs up: automatic backups are off (CloudFormation
    `BackupPolicy.Status` missing or `DISABLED`; in Terraform no `aws_efs_backup_policy` with
    `status = "ENABLED"` names the file system) and no AWS Backup selection selects it.

    ## Why is this bad?
    EFS replicates data across zones, but it faithfully replicates deletions and corruption too: an `rm -rf`
    in the wrong directory, a buggy job rewriting files or ransomware on a client leaves nothing to restore
    from. Regional file systems created through the API, CloudFormation or Terraform start with automatic
    backups off, unlike those created in the console, so infrastructure-as-code file systems are the ones that
    silently have none.

    ## Example
    ```hcl
    resource "aws_efs_file_system" "shared" {
      encrypted = true
    }
    ```
    ```yaml
    Shared:
      Type: AWS::EFS::FileSystem
      Properties:
        Encrypted: true
    ```

    ## Use instead
    ```hcl
    resource "aws_efs_file_system" "shared" {
      encrypted = true
    }

    resource "aws_efs_backup_policy" "shared" {
      file_system_id = aws_efs_file_system.shared.id
      backup_policy {
        status = "ENABLED"
      }
    }
    ```
    ```yaml
    Shared:
      Type: AWS::EFS::FileSystem
      Properties:
        Encrypted: true
        BackupPolicy:
          Status: ENABLED
    ```

    ## Known problems
    This rule owns the EFS case of "not backed up": RL302 (stateful-resource-not-in-backup-plan) does not
    check EFS file systems, so one file system without backups gives one finding, with the EFS-specific fix
    (turn on automatic backups) rather than a generic AWS Backup selection. Either remedy satisfies this rule.
    AWS Backup selections are matched as RL302 matches them (ARN references and patterns, tags with the
    provider's `default_tags`, conditions, exclusions); only selections in the scan count, and a file system
    tagged for a plan outside the scan (a tag whose key names backups, not tested by any selection of the
    scan, with a value that is not an opt-out) gives `unknown`, as in RL302. A One Zone file
    system without a backup policy is not flagged: the API turns automatic backups on by default for One Zone
    storage. A policy status, tags or selection that depends on an input without a value gives `unknown`. A
    Terraform policy that names the file system by a literal ID rather than a reference is not recognised.
    A file system that exists only in a test deployment is left out unless the configuration includes its
    class (`stateful: {include: [test-only]}`, docs/data-value.md).

    ## Fix safety
    Needs review: backups are billed storage. Turning on automatic backups puts the file system in AWS
    Backup's default plan (daily, kept 35 days) without downtime; a longer history needs a plan of your own.

    ## References
    - https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html
    - https://docs.aws.amazon.com/efs/latest/ug/automatic-backups.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-efs-filesystem-backuppolicy.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_backup_policy
    - https://docs.aws.amazon.com/config/latest/developerguide/efs-automatic-backups-enabled.html
    """

    id = "RL311"
    name = "efs-backup-disabled"
    severity = Severity.MEDIUM
    resource_types = EFS_TYPES
    checkov_ids = ("CKV2_AWS_18",)
    graph_rule = True

    @judges_kept_data
    def check(self, res, ctx):
        covered, sels, _by = coverage(ctx, res)
        if covered is True:
            return
        if isinstance(covered, Unknown):
            yield self.unknown(res, covered, what="whether the file system is backed up")
            return
        status = efs_backup_policy(ctx, res)
        if res.format == TERRAFORM:
            policy = ("no `aws_efs_backup_policy` names it" if status is MISSING
                      else f"its `aws_efs_backup_policy` has status `{status}`")
        else:
            policy = ("`BackupPolicy` is not set" if status is MISSING
                      else f"`BackupPolicy.Status` is `{status}`")
        yield self.fail(
            res,
            f"{res.address} is never backed up: automatic backups are off ({policy}) and {none_selects(sels)}; "
            f"deleted or corrupted files cannot be restored",
            at=EFS_BACKUP_POLICY_STATUS if res.format != TERRAFORM else None,
            fix=self._fix(ctx, res, status),
        )

    @staticmethod
    def _fix(ctx, res, status) -> Fix:
        title = "Turn on automatic backups for the file system"
        if res.format != TERRAFORM:
            return Fix(title, (SetAttribute(EFS_BACKUP_POLICY_STATUS, ENABLED),), safety="review", note=_NOTE)
        if status is not MISSING:  # a policy exists with another status: edit that resource
            policies = ctx.graph.referrers(res, type=TF_EFS_BACKUP_POLICY, attr=TF_POLICY_FILE_SYSTEM.path(TERRAFORM))
            return Fix(f"Set `backup_policy {{ status = \"{ENABLED}\" }}` in the file system's "
                       f"`{TF_EFS_BACKUP_POLICY}`",
                       tuple(SetAttribute(TF_POLICY_STATUS, ENABLED, target=p) for p in policies[:1]), safety="review",
                       note=_NOTE)
        local = res.block_address.rsplit(".", 1)[-1]
        add = AddResource(TF_EFS_BACKUP_POLICY, local, {"file_system_id": f"${{{res.block_address}.id}}",
                                                       "backup_policy": [{"__block__": True, "status": ENABLED}]})
        return Fix(title, (add,), safety="review", note=_NOTE)
