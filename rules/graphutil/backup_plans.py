"""AWS Backup plans read the same way from both formats: rules, copy actions, lifecycles, the vaults they
write to, those vaults' locks and Regions.

A Terraform plan has `rule` blocks with a `lifecycle` block and `copy_action` blocks (each with its own
`lifecycle`); CloudFormation has `BackupPlan.BackupPlanRule[]` with `Lifecycle` and `CopyActions[]`.

The walk, shared by the backup rules and the DR model:
    plan_rules(ctx, plan)          -> [PlanRule]            the plan's rules (Unknown when generated from inputs)
    copy_actions(rule)             -> [CopyAction]          a rule's copy actions
    lifecycle_of(entry)            -> Lifecycle             delete/cold-storage days of a rule or copy action
    target_vault(ctx, rule)        -> Vault                 where a rule's backups are written
    copy_destination(ctx, copy)    -> Destination           where a copy goes: its vault (when in the graph)
                                                            and its Region
    copy_destinations(ctx, rule)   -> [Destination]         the same for every copy action of a rule
    vault_lock(ctx, vault)         -> Lock | None           the vault's lock (min/max retention)
    crosses_region(plan, dest)     -> True/False/Unknown    whether a copy leaves the plan's Region
Every answer may be an Unknown saying why it cannot be decided; none guesses.

Days are None when recovery points never expire (no lifecycle, no `delete_after`, or -1) or never move to
cold storage. Terraform sends neither value when it is 0 (the provider skips zeros), so 0 means "not set"
there; CloudFormation sends a 0 as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.backup import (COPY_DESTINATION, LIFECYCLE_COLD_AFTER, LIFECYCLE_DELETE_AFTER,
                                      LOCK_MAX_DAYS, LOCK_MIN_DAYS, PLAN_RULES, RULE_COPY_ACTIONS, RULE_CONTINUOUS,
                                      RULE_LIFECYCLE, RULE_NAME, RULE_TARGET_VAULT, TF_VAULT_LOCK, VAULT_LOCK,
                                      VAULT_LOCK_VAULT, VAULT_NAME, VAULT_TYPES)
from rlint.rules.base import TERRAFORM, EntryAttr, RuleContext, entry_attr, lookup  # noqa: F401 (re-exported)
from rlint.rules.graphutil.backup import resource_exists, t_or
from rlint.rules.graphutil.regions import Region, arn_region, resource_region, same_region, sub_arn_region
from rlint.rules.graphutil.values import as_bool, as_int


def _key(res: Resource, pair: tuple) -> str:
    return pair[0] if res.format == TERRAFORM else pair[1]


def _block(res: Resource, value: Any) -> Any:
    """A nested block: Terraform keeps a list of bodies (read the first), CloudFormation a map."""
    if res.format == TERRAFORM and isinstance(value, list):
        return value[0] if value else MISSING
    return value


# -- rules and copy actions -------------------------------------------------------------------------------
@dataclass
class PlanRule:
    plan: Resource
    index: int
    label: str           # '"daily"' (its name) or '#1' (its position)
    body: dict
    path: tuple          # the rule entry in the plan's own format

    @property
    def continuous(self) -> Any:
        """True/False/Unknown: `enable_continuous_backup` / `EnableContinuousBackup`."""
        return as_bool(self.body.get(_key(self.plan, RULE_CONTINUOUS), False))

    def attr(self, pair: tuple) -> EntryAttr:
        return entry_attr(self.plan, self.path + (_key(self.plan, pair),))

    kind = "rule"

    @property
    def rule(self) -> "PlanRule":
        return self

    def describe(self) -> str:
        return f"plan rule {self.label}"


@dataclass
class CopyAction:
    rule: PlanRule
    index: int
    body: Any            # a dict, or an Unknown when the copy action itself is not known
    path: tuple

    kind = "copy"

    @property
    def plan(self) -> Resource:
        return self.rule.plan

    def attr(self, pair: tuple) -> EntryAttr:
        return entry_attr(self.plan, self.path + (_key(self.plan, pair),))

    def describe(self) -> str:
        return f"copy action #{self.index + 1} of plan rule {self.rule.label}"


def plan_rules(ctx: RuleContext, plan: Resource) -> Any:
    """The plan's rules, or an Unknown when they are (a `dynamic` block over an input, a parameter)."""
    rules = ctx.get(plan, PLAN_RULES)
    if isinstance(rules, Unknown):
        return rules
    if not isinstance(rules, list):
        return []
    base = PLAN_RULES.path(plan.format)
    out = []
    for i, rule in enumerate(rules):
        if isinstance(rule, Unknown):
            return rule
        if not isinstance(rule, dict):
            continue
        name = rule.get(_key(plan, RULE_NAME))
        label = f'"{name}"' if isinstance(name, str) else f"#{i + 1}"
        out.append(PlanRule(plan, i, label, rule, base + (i,)))
    return out


def copy_actions(rule: PlanRule) -> Any:
    """The rule's copy actions, or an Unknown when the list is not known."""
    key = _key(rule.plan, RULE_COPY_ACTIONS)
    copies = rule.body.get(key, MISSING)
    if isinstance(copies, Unknown):
        return copies
    listed = copies if isinstance(copies, list) else []
    return [CopyAction(rule, j, c, rule.path + (key, j)) for j, c in enumerate(listed) if isinstance(c, (dict, Unknown))]


# -- lifecycles -------------------------------------------------------------------------------------------
@dataclass
class Lifecycle:
    delete_after: Any    # int, None (never expires) or Unknown
    cold_after: Any      # int, None (never moves to cold storage) or Unknown
    delete_attr: EntryAttr
    cold_attr: EntryAttr


def _days(res: Resource, lifecycle: Any, pair: tuple) -> Any:
    if isinstance(lifecycle, Unknown):
        return lifecycle
    if not isinstance(lifecycle, dict):
        return None
    days = as_int(lifecycle.get(_key(res, pair), MISSING))
    unset = (MISSING, None, -1, 0) if res.format == TERRAFORM else (MISSING, None, -1)
    if any(days is u or (isinstance(days, int) and not isinstance(days, bool) and days == u) for u in unset):
        return None
    if isinstance(days, Unknown) or (isinstance(days, int) and not isinstance(days, bool)):
        return days
    return Unknown(f"`{_key(res, pair)}` is {days!r}")


def lifecycle_of(entry: Any) -> Lifecycle:
    """The lifecycle of a PlanRule or CopyAction (each may have its own)."""
    res = entry.plan
    body = entry.body
    if isinstance(body, Unknown):
        raw = body
    else:
        raw = _block(res, body.get(_key(res, RULE_LIFECYCLE), MISSING))
    # Terraform spans are also recorded without the index of a single nested block: the fix then inserts
    # a missing `lifecycle { ... }` block rather than an indexed path
    base = entry.path + (_key(res, RULE_LIFECYCLE),)
    return Lifecycle(_days(res, raw, LIFECYCLE_DELETE_AFTER), _days(res, raw, LIFECYCLE_COLD_AFTER),
                     entry_attr(res, base + (_key(res, LIFECYCLE_DELETE_AFTER),)),
                     entry_attr(res, base + (_key(res, LIFECYCLE_COLD_AFTER),)))


@dataclass
class Retention:
    kind: str            # "rule" | "copy"
    rule_name: str       # the plan rule's name (or its position)
    index: tuple         # (rule index,) or (rule index, copy index)
    days: Any            # int, None (never expires) or Unknown
    continuous: Any      # True/False/Unknown (copies: the rule's)
    attr: EntryAttr      # where delete_after is (or would be) written


def plan_entries(ctx: RuleContext, plan: Resource) -> Any:
    """Every rule of the plan, each followed by its copy actions: everything that has a lifecycle of its
    own. A copy list that is not known appears as one CopyAction whose body is the Unknown."""
    rules = plan_rules(ctx, plan)
    if isinstance(rules, Unknown):
        return rules
    out = []
    for rule in rules:
        out.append(rule)
        copies = copy_actions(rule)
        if isinstance(copies, Unknown):
            out.append(CopyAction(rule, 0, copies, rule.path + (_key(plan, RULE_COPY_ACTIONS), 0)))
        else:
            out.extend(copies)
    return out


def plan_retentions(ctx: RuleContext, plan: Resource) -> Any:
    """Every rule and copy action of the plan with its retention, or an Unknown when the rules are."""
    entries = plan_entries(ctx, plan)
    if isinstance(entries, Unknown):
        return entries
    out = []
    for e in entries:
        life = lifecycle_of(e)
        index = (e.rule.index,) if e.kind == "rule" else (e.rule.index, e.index)
        out.append(Retention(e.kind, e.rule.label, index, life.delete_after, e.rule.continuous, life.delete_attr))
    return out


# -- vaults ------------------------------------------------------------------------------------------------
@dataclass
class Vault:
    """A backup vault: its resource when the configuration defines it, its name when known, its Region."""

    resource: Optional[Resource]
    name: Optional[str]
    region: Any          # Region or Unknown

    def describe(self) -> str:
        if self.resource is not None:
            return f"vault {self.resource.address}"
        return f'vault "{self.name}"' if self.name else "the vault"


def _vault_of(ctx: RuleContext, res: Resource) -> Vault:
    return Vault(res, _name_of(ctx, res), resource_region(res))


def _name_of(ctx: RuleContext, vault: Resource) -> Optional[str]:
    name = ctx.get(vault, VAULT_NAME)
    return name if isinstance(name, str) else None


# what a copy action's ARN may point to: a vault, or a logically air-gapped vault (whose own required
# min/max retention days act as a lock)
AIR_GAPPED_TYPES = ("aws_backup_logically_air_gapped_vault", "AWS::Backup::LogicallyAirGappedBackupVault")
COPY_TARGET_TYPES = VAULT_TYPES + AIR_GAPPED_TYPES


# a vault's ARN: Terraform `.arn`, CloudFormation `Fn::GetAtt V.BackupVaultArn` (also inside `Fn::Sub`)
ARN_ATTRS = ("arn", "BackupVaultArn")


def _referenced_vaults(ctx: RuleContext, res: Resource, path: tuple, types: tuple = VAULT_TYPES,
                       attrs: Optional[tuple] = None) -> list:
    """Vaults referenced under `path`; with `attrs`, only through those attributes (a vault's name written
    into an ARN of another Region does not make that ARN the vault's)."""
    out = []
    for ref_path, target, tattr in res.refs:
        if tuple(ref_path[:len(path)]) != tuple(path) or (attrs is not None and tattr not in attrs):
            continue
        out.extend(t for t in ctx.graph.resolve(res, target) if t.type in types and all(t is not o for o in out))
    return out


def _vaults_named(ctx: RuleContext, near: Resource, name: str) -> Any:
    """The vault of the unit called `name` in the same Region as `near`: a Vault, None, or an Unknown."""
    undecided = None
    for v in ctx.graph.in_unit(near):
        if v.type not in VAULT_TYPES or _name_of(ctx, v) != name:
            continue
        same = same_region(resource_region(near), resource_region(v))
        if same is True:
            return _vault_of(ctx, v)
        if isinstance(same, Unknown) and undecided is None:
            undecided = Unknown(f"whether {v.address} is the vault named \"{name}\" is not known ({same.reason})")
    return undecided


def target_vault(ctx: RuleContext, rule: PlanRule) -> Any:
    """The vault a plan rule writes to (`target_vault_name` / `TargetBackupVault`), by reference or by name.

    A name that no vault of the configuration carries is an existing vault: Vault(None, name, plan's Region).
    """
    plan = rule.plan
    attr = rule.attr(RULE_TARGET_VAULT)
    path = attr.path(plan.format)
    referenced = _referenced_vaults(ctx, plan, path)
    if referenced:
        return _vault_of(ctx, referenced[0])
    value = lookup(plan.attrs, path)
    if isinstance(value, Unknown):
        return Unknown(f"the target vault of {rule.describe()} is not known ({value.reason})")
    if not isinstance(value, str):
        return Unknown(f"{rule.describe()} names no target vault")
    found = _vaults_named(ctx, plan, value)
    return found if found is not None else Vault(None, value, resource_region(plan))


@dataclass
class Destination:
    copy: CopyAction
    vault: Optional[Vault]   # the destination vault when it is a resource of the configuration
    region: Any              # Region or Unknown
    arn: Any                 # the ARN as evaluated (a string or an Unknown)
    written: Optional[str] = None  # a CloudFormation `Fn::Sub` template as written
    missing: str = ""        # why the vault does not exist: no configured deployment creates it

    def describe(self) -> str:
        if self.vault is not None:
            return self.vault.describe()
        if isinstance(self.arn, str):
            return f"`{self.arn}`"
        return f"`{self.written}`" if self.written else "an unknown vault"


def copy_destination(ctx: RuleContext, copy: CopyAction) -> Destination:
    """Where a copy action sends its copies: the referenced vault (and its Region), or the Region of a
    literal ARN (`arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME`), or for a CloudFormation `Fn::Sub`
    ARN its Region field (`${AWS::Region}` is the stack's own Region)."""
    plan = copy.plan
    if isinstance(copy.body, Unknown):
        return Destination(copy, None, Unknown(f"{copy.describe()} is not known ({copy.body.reason})"), copy.body)
    path = copy.attr(COPY_DESTINATION).path(plan.format)
    value = lookup(plan.attrs, path)
    referenced = _referenced_vaults(ctx, plan, path, COPY_TARGET_TYPES, ARN_ATTRS)
    if referenced:
        vault = _vault_of(ctx, referenced[0])
        return Destination(copy, vault, vault.region, value)
    if isinstance(value, str):
        found = deployed_vault(ctx, value)
        if isinstance(found, Resource):  # created by a configured deployment (possibly another one)
            return Destination(copy, _vault_of(ctx, found), resource_region(found), value)
        region = arn_region(value)
        return Destination(copy, None, Region(region) if region else
                           Unknown(f"the destination `{value}` of {copy.describe()} names no Region"), value,
                           missing=found or "")
    raw = lookup(plan.meta.get("raw"), path) if plan.format != TERRAFORM else MISSING
    sub = raw.get("Fn::Sub") if isinstance(raw, dict) and len(raw) == 1 else None
    template = sub[0] if isinstance(sub, list) and sub else sub
    region = sub_arn_region(template, plan) if isinstance(template, str) else None
    if region is not None:
        return Destination(copy, None, region, value, template)
    reason = value.reason if isinstance(value, Unknown) else f"{value!r} is not an ARN"
    return Destination(copy, None, Unknown(f"the destination of {copy.describe()} is not known ({reason})"), value)


_VAULT_ARN = re.compile(r"^arn:[^:]+:backup:(?P<region>[a-z0-9-]+):(?P<account>[0-9]*):backup-vault:(?P<name>[^:/]+)$")


def deployed_vault(ctx: RuleContext, arn: str) -> Any:
    """With `deployments:` configured, the vault a literal copy ARN names: the vault resource some deployment
    creates in that Region (and account, when both are known); a sentence saying no deployment creates it when
    the ARN points into a Region (and account) the deployments run in; else None (no deployments, or a vault
    outside them, such as a central backup account)."""
    m = _VAULT_ARN.match(arn)
    if not m:
        return None
    deployments = ctx.graph.memo("deployments", lambda: {(r.meta["deployment_region"], r.meta.get("account"))
                                                         for r in ctx.graph.resources if r.meta.get("deployment")})
    region, account, name = m["region"], m["account"] or None, m["name"]
    if not any(r == region and (account is None or a is None or a == account) for r, a in deployments):
        return None
    for vault in ctx.graph.by_type(*VAULT_TYPES):
        where = vault.meta.get("deployment_region")
        owner = vault.meta.get("account")
        if where == region and _name_of(ctx, vault) == name and (account is None or owner in (None, account)):
            return vault
    return (f"backup vault \"{name}\" in {region}, which no deployment creates (the copy job fails until it "
            f"exists)")


def copy_destinations(ctx: RuleContext, rule: PlanRule) -> Any:
    """Every copy action's Destination for a plan rule, or an Unknown when its copy actions are not known."""
    copies = copy_actions(rule)
    if isinstance(copies, Unknown):
        return Unknown(f"the copy actions of {rule.describe()} are not known ({copies.reason})")
    return [copy_destination(ctx, c) for c in copies]


def crosses_region(plan: Resource, dest: Destination) -> Any:
    """Whether a copy leaves the plan's Region: True, False or an Unknown.

    CloudFormation cannot know its own Region, and a stack cannot create a vault in another one: a literal
    Region in a destination ARN is taken as another Region (a template writes `${AWS::Region}` for its own).
    """
    here = resource_region(plan)
    same = same_region(here, dest.region)
    if isinstance(same, Unknown) and plan.format != TERRAFORM and isinstance(dest.region, Region) \
            and dest.region.name is not None and dest.vault is None:
        return True
    return same if isinstance(same, Unknown) else not same


# -- vault locks --------------------------------------------------------------------------------------------
@dataclass
class Lock:
    min_days: Any            # int, None (no minimum) or Unknown
    max_days: Any            # int, None (no maximum) or Unknown
    resource: Resource       # the lock configuration (Terraform) or the vault (CloudFormation)
    min_attr: EntryAttr
    max_attr: EntryAttr


def _lock_days(res: Resource, holder: Any, pair: tuple) -> Any:
    if isinstance(holder, Unknown):
        return holder
    days = as_int(holder.get(_key(res, pair), MISSING)) if isinstance(holder, dict) else MISSING
    if days is MISSING or days is None:
        return None
    if isinstance(days, Unknown) or (isinstance(days, int) and not isinstance(days, bool)):
        return days
    return Unknown(f"`{_key(res, pair)}` is {days!r}")


def _lock(res: Resource, holder: Any, base: tuple) -> Lock:
    return Lock(_lock_days(res, holder, LOCK_MIN_DAYS), _lock_days(res, holder, LOCK_MAX_DAYS), res,
                entry_attr(res, base + (_key(res, LOCK_MIN_DAYS),)),
                entry_attr(res, base + (_key(res, LOCK_MAX_DAYS),)))


def vault_lock(ctx: RuleContext, vault: Vault) -> Any:
    """The vault's lock: CloudFormation `LockConfiguration`, Terraform the `aws_backup_vault_lock_configuration`
    naming the vault (by reference, or by name in the vault's Region), or a logically air-gapped vault's own
    retention range. None when it has none; an Unknown when a lock may or may not apply (an unknown name, a
    count or condition)."""
    if vault.resource is not None and vault.resource.type in AIR_GAPPED_TYPES:
        own = vault.resource
        base = () if own.format == TERRAFORM else ("Properties",)
        return _lock(own, lookup(own.attrs, base) if base else own.attrs, base)
    if vault.resource is not None and vault.resource.format != TERRAFORM:
        config = ctx.get(vault.resource, VAULT_LOCK)
        if config is MISSING or config is None:
            return None
        exists = resource_exists(vault.resource)
        if isinstance(exists, Unknown):
            return exists
        return _lock(vault.resource, config, VAULT_LOCK.path(vault.resource.format))
    if vault.resource is None and vault.name is None:
        return None
    near = vault.resource
    candidates = []
    for lock in ctx.graph.by_type(TF_VAULT_LOCK):
        if near is not None and lock.meta.get("unit") != near.meta.get("unit"):
            continue
        candidates.append(lock)
    answers = []
    for lock in candidates:
        applies = _lock_names(ctx, lock, vault)
        if applies is False:
            continue
        if applies is True:
            applies = resource_exists(lock)
        if applies is True:
            return _lock(lock, lock.attrs, ())
        answers.append(applies)
    undecided = t_or(answers)
    return undecided if isinstance(undecided, Unknown) else None


def any_vault_lock(ctx: RuleContext, near: Resource) -> bool:
    """Whether the unit of `near` configures any vault lock (an unknown vault then matters)."""
    for r in ctx.graph.in_unit(near):
        if r.type == TF_VAULT_LOCK or r.type in AIR_GAPPED_TYPES or (r.type in VAULT_TYPES and ctx.has(r, VAULT_LOCK)):
            return True
    return False


def _lock_names(ctx: RuleContext, lock: Resource, vault: Vault) -> Any:
    """Whether a Terraform lock configuration names the vault: True, False or an Unknown."""
    path = VAULT_LOCK_VAULT.path(TERRAFORM)
    referenced = _referenced_vaults(ctx, lock, path)
    if referenced:
        return vault.resource is not None and any(r is vault.resource for r in referenced)
    name = lookup(lock.attrs, path)
    if isinstance(name, Unknown):
        return Unknown(f"the vault of {lock.address} is not known ({name.reason})")
    if not isinstance(name, str) or name != vault.name:
        return False
    return same_region(resource_region(lock), vault.region)


__all__ = ["EntryAttr", "entry_attr", "PlanRule", "CopyAction", "plan_rules", "copy_actions", "Lifecycle",
           "lifecycle_of", "plan_entries", "Retention", "plan_retentions", "Vault", "target_vault", "Destination",
           "copy_destination", "copy_destinations", "crosses_region", "Lock", "vault_lock", "any_vault_lock",
           "COPY_TARGET_TYPES", "AIR_GAPPED_TYPES"]
