from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.stateful import UPDATE_REPLACE_POLICY
from rlint.rules.base import Rule
from rlint.rules.data_value import judges_kept_data
from rlint.rules.deletion._common import JUDGED_TYPES, instance_role, policy_fix
from rlint.rules.graphutil.policies import written_policy


class CfnStatefulDeletedOnReplace(Rule):
    """## What it does
    Flags CloudFormation resources that hold data whose effective `UpdateReplacePolicy` is `Delete`: written
    so, or left out (the default for every type, RDS included).

    ## Why is this bad?
    Changing a property that requires replacement (a table's key schema, a DB instance's engine, a file
    system's encryption, a fixed name) makes CloudFormation create a new, empty resource and then delete the
    old one with its data. The update reports success; the data is gone. `Retain` keeps the old resource and
    `Snapshot` keeps a final snapshot of it, so the data can be copied or restored.

    ## Example
    ```yaml
    AppDb:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Snapshot
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
    ```

    ## Use instead
    ```yaml
    AppDb:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Snapshot
      UpdateReplacePolicy: Snapshot
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
    ```

    ## Known problems
    CloudFormation only (Terraform's `lifecycle { prevent_destroy = true }` also blocks replacement; see RL405).
    Same types and exemptions as RL401: `AWS::S3::Bucket`, `AWS::Backup::BackupVault`, nested stacks, DocumentDB
    and Neptune DB instances, Aurora members and read replicas are skipped. Unlike `DeletionPolicy`, a missing
    `UpdateReplacePolicy` means `Delete` for RDS too. Intrinsic policies are evaluated under
    `AWS::LanguageExtensions`; an undecidable condition, or an intrinsic policy without the transform, gives
    `unknown`. `Snapshot` on a type that cannot snapshot silently becomes `Delete`; RL403 reports that. Data
    that can be recreated or expires by itself (log groups, queues, streams keeping records 7 days or less,
    secrets the template writes or generates, Memcached clusters, state-lock tables, resources that exist only
    in a test deployment) is judged only when the configuration includes its class (`stateful: {include:
    [...]}`, docs/data-value.md).

    ## Fix safety
    Needs review: after a replacement the retained resource or snapshot stays in the account and is billed
    until it is deleted by hand; a retained resource with a fixed name makes the replacement fail on the name
    clash instead (which is still better than losing the data). Changing the policy alone updates no resource.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/function-refs-in-policy-attributes.html
    """

    id = "RL402"
    name = "cfn-stateful-deleted-on-replace"
    severity = Severity.MEDIUM
    resource_types = JUDGED_TYPES

    @judges_kept_data(persistence=False)  # a final snapshot is persistence: a cache without any is judged
    def check(self, res, ctx):
        role = instance_role(ctx, res)
        if role in ("member", "replica"):
            return
        policy = written_policy(res, UPDATE_REPLACE_POLICY)
        if isinstance(policy, Unknown):
            yield self.unknown(res, policy, at=UPDATE_REPLACE_POLICY)
            return
        if policy is MISSING:
            state = "has no `UpdateReplacePolicy` (the default is `Delete`)"
        elif policy == "Delete":
            state = "has `UpdateReplacePolicy: Delete`"
        else:
            return
        if isinstance(role, Unknown):
            yield self.unknown(res, role, what="whether the DB instance belongs to a cluster")
            return
        yield self.fail(
            res,
            f"{res.address} ({res.type}) {state}: an update that replaces it deletes the old resource with its "
            f"data",
            at=UPDATE_REPLACE_POLICY,
            fix=policy_fix(ctx, res, UPDATE_REPLACE_POLICY),
        )
