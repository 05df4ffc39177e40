"""Messaging edges, resolved once for every RL5xx rule.

- queue -> its redrive (dead-letter) target: inline `redrive_policy` / `RedrivePolicy`, or a separate
  `aws_sqs_queue_redrive_policy` whose `queue_url` names the queue;
- queue <- whatever uses it as a dead-letter target: another queue's redrive, a redrive-allow policy, an SNS
  subscription's redrive, a Lambda DLQ, an on-failure destination, an EventBridge target DLQ;
- queue -> event source mappings -> Lambda functions, and back;
- Lambda function <- asynchronous triggers (S3, SNS, EventBridge, permissions for those principals), and its
  failure handling (DLQ, on-failure destination of an event invoke config);
- Lambda environment -> DB endpoints, and DB <- RDS Proxy targets (or why no proxy can target the DB).

Policies are JSON documents: Terraform's evaluator turns `jsonencode(...)` into a string (or an Unknown that
carries the references when a value inside is only known after apply), CloudFormation writes an object or
a string. References are read from `Resource.refs`, so an edge survives even when the value is Unknown.
"""
from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from rlint.model import MISSING, PartialString, Resource, Unknown
from rlint.rules.attrs.aurora import CLUSTER_TYPES as AURORA_CLUSTER_TYPES
from rlint.rules.attrs.lambda_ import (DLQ_TARGET, FUNCTION_NAME, FUNCTION_TYPES, INVOKE_CONFIG_TYPES,
                                       MAPPING_TYPES, ON_FAILURE_DESTINATION)
from rlint.rules.attrs.rds import ENGINE, ENGINE_MODE
from rlint.rules.attrs.sqs import QUEUE_NAME, QUEUE_TYPES, REDRIVE_ALLOW_POLICY, REDRIVE_POLICY
from rlint.rules.base import RuleContext, lookup
from rlint.rules.graphutil.names import own_names, words
from rlint.rules.graphutil.values import as_bool, as_int  # noqa: F401  (re-exported)

TF_REDRIVE_RESOURCE = "aws_sqs_queue_redrive_policy"
TF_ALLOW_RESOURCE = "aws_sqs_queue_redrive_allow_policy"
DB_TYPES = ("aws_db_instance", "aws_rds_cluster", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster")
PROXY_TYPES = ("aws_db_proxy", "aws_db_proxy_endpoint", "AWS::RDS::DBProxy", "AWS::RDS::DBProxyEndpoint")


# -- small helpers ------------------------------------------------------------------------------------
def policy_document(value: Any) -> Any:
    """A policy value as a dict, an Unknown, or MISSING (absent, null or the empty string)."""
    if value is MISSING or value is None:
        return MISSING
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        if not value.strip():
            return MISSING  # modules pass "" for "no policy"
        try:
            value = json.loads(value)
        except ValueError:
            return Unknown("the policy is not valid JSON")
    if isinstance(value, dict):
        return value
    return Unknown("the policy is not a JSON object")


def refs_to(graph, source: Resource, target: Resource) -> list:
    """The attribute paths in `source` whose references resolve to `target`."""
    return [path for path, addr, _a in source.refs if any(t is target for t in graph.resolve(source, addr))]


def _path_has(path: tuple, *names: str) -> bool:
    return any(p in names for p in path if isinstance(p, str))


def arn_name(arn: str) -> str:
    """The resource name at the end of an SQS ARN (arn:aws:sqs:region:account:name)."""
    return arn.rsplit(":", 1)[-1]


def _contains(items: list, res: Resource) -> bool:
    return any(i is res for i in items)


def _unit(res: Resource) -> str:
    return res.meta.get("unit", "")


# -- a per-graph index: queues by name, literal dead-letter ARNs -----------------------------------------
_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass
class _Index:
    queues_by_name: dict = field(default_factory=dict)  # (unit, name) -> [queue]
    literal_dlq_names: set = field(default_factory=set)  # (unit, queue name) named by a literal ARN
    redrives: dict = field(default_factory=dict)  # id(queue) -> Redrive | None
    sources: Optional[dict] = None  # id(dead-letter queue) -> [queues whose redrive names it], built on demand


def _index(ctx: RuleContext) -> _Index:
    graph = ctx.graph
    idx = _INDEXES.get(graph)
    if idx is not None:
        return idx
    idx = _Index()
    for q in graph.by_type(*QUEUE_TYPES):
        name = ctx.get(q, QUEUE_NAME)
        if isinstance(name, str):
            idx.queues_by_name.setdefault((_unit(q), name), []).append(q)
    for holder, path in _redrive_holders(ctx):
        doc = policy_document(lookup(holder.attrs, path))
        arn = doc.get("deadLetterTargetArn") if isinstance(doc, dict) else None
        if isinstance(arn, str):
            idx.literal_dlq_names.add((_unit(holder), arn_name(arn)))
    _INDEXES[graph] = idx
    return idx


def _redrive_holders(ctx: RuleContext) -> Iterator[tuple]:
    for q in ctx.graph.by_type(*QUEUE_TYPES):
        yield q, REDRIVE_POLICY.path(q.format)
    for r in ctx.graph.by_type(TF_REDRIVE_RESOURCE):
        yield r, ("redrive_policy",)


# -- queue -> redrive target --------------------------------------------------------------------------
@dataclass
class Redrive:
    """A queue's redrive policy: where it is written, its document, and the dead-letter queue it names."""

    holder: Resource          # the queue itself, or an aws_sqs_queue_redrive_policy
    path: tuple               # the policy's attribute path in `holder`
    document: Any             # dict or Unknown
    targets: list             # dead-letter queues found in the configuration
    target_arn: Any = None    # the literal ARN (str) when written out, an Unknown, or None

    @property
    def maybe_absent(self) -> Optional[Unknown]:
        """The Unknown when the whole policy hangs on an undecidable condition (it may not exist at all)."""
        doc = self.document
        if isinstance(doc, Unknown) and doc.reason.startswith("depends on") and "condition" in doc.reason:
            return doc
        return None

    @property
    def inline(self) -> bool:
        return self.holder.type in QUEUE_TYPES

    def target_unknown(self) -> Optional[Unknown]:
        """Why the dead-letter queue cannot be examined, or None when `targets` holds it."""
        if self.targets:
            return None
        if isinstance(self.target_arn, str):
            return Unknown(f"the dead-letter queue {self.target_arn} is not in this configuration")
        if isinstance(self.target_arn, Unknown):
            return self.target_arn
        if isinstance(self.document, Unknown):
            return self.document
        return Unknown("the redrive policy names no dead-letter queue")


def redrive_of(ctx: RuleContext, queue: Resource) -> Optional[Redrive]:
    """The queue's redrive policy, inline or from a separate resource; None when it has none."""
    cache = _index(ctx).redrives
    if id(queue) not in cache:
        cache[id(queue)] = _redrive_of(ctx, queue)
    return cache[id(queue)]


def _redrive_of(ctx: RuleContext, queue: Resource) -> Optional[Redrive]:
    candidates = [(queue, REDRIVE_POLICY.path(queue.format))]
    for r in ctx.graph.referrers(queue, type=TF_REDRIVE_RESOURCE, attr=("queue_url",)):
        candidates.append((r, ("redrive_policy",)))
    for holder, path in candidates:
        doc = policy_document(lookup(holder.attrs, path))
        if doc is MISSING:
            continue
        targets = [t for t in ctx.graph.targets(holder, path) if t.type in QUEUE_TYPES and t is not queue]
        arn = doc.get("deadLetterTargetArn") if isinstance(doc, dict) else None
        if isinstance(arn, str) and not targets:
            targets = list(_index(ctx).queues_by_name.get((_unit(holder), arn_name(arn)), ()))
        return Redrive(holder, path, doc, targets, arn)
    return None


def dead_letter_sources(ctx: RuleContext, dlq: Resource) -> list:
    """The queues in the same unit whose redrive policy names `dlq` (indexed once per graph: asking every
    queue about every other queue is quadratic)."""
    idx = _index(ctx)
    if idx.sources is None:
        idx.sources = {}
        for q in ctx.graph.by_type(*QUEUE_TYPES):
            r = redrive_of(ctx, q)
            for t in r.targets if r is not None else ():
                if t is not q and t.type == q.type and _unit(t) == _unit(q):
                    idx.sources.setdefault(id(t), []).append(q)
    return list(idx.sources.get(id(dlq), ()))


def unresolved_redrive_resources(ctx: RuleContext, queue: Resource) -> list:
    """`aws_sqs_queue_redrive_policy` resources in the queue's unit whose queue cannot be resolved: any of
    them might configure this queue."""
    out = []
    for r in ctx.graph.in_unit_of_type(queue, TF_REDRIVE_RESOURCE):
        if not isinstance(r.attrs.get("queue_url"), Unknown):
            continue
        if not any(t.type in QUEUE_TYPES for t in ctx.graph.targets(r, ("queue_url",))):
            out.append(r)
    return out


def is_fifo(ctx: RuleContext, queue: Resource, fifo_attr) -> Any:
    """True/False from a queue's FIFO flag (a string "true" counts), or an Unknown."""
    flag = as_bool(ctx.get(queue, fifo_attr))
    if isinstance(flag, bool):
        return flag
    return flag if isinstance(flag, Unknown) else Unknown(f"the FIFO flag is {flag!r}")


# -- queue <- dead-letter users -----------------------------------------------------------------------
_DLQ_NAME = re.compile(r"dlq|dead[-_]?letter|deadletter", re.I)


def _marks_dlq(source: Resource, path: tuple) -> Optional[str]:
    """How a reference from `source` at `path` uses its target as a dead-letter queue, or None."""
    t = source.type
    if t in QUEUE_TYPES or t == TF_REDRIVE_RESOURCE:
        if _path_has(path, "redrive_policy", "RedrivePolicy"):
            return f"the dead-letter queue of {source.address}"
    elif t in ("aws_sns_topic_subscription", "AWS::SNS::Subscription"):
        if _path_has(path, "redrive_policy", "RedrivePolicy"):
            return f"the dead-letter queue of SNS subscription {source.address}"
    elif t in ("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function"):
        if _path_has(path, "dead_letter_config", "DeadLetterConfig", "DeadLetterQueue"):
            return f"the dead-letter queue of function {source.address}"
        if _path_has(path, "OnFailure"):
            return f"the on-failure destination of function {source.address}"
    elif t in INVOKE_CONFIG_TYPES or t in MAPPING_TYPES or t in ("aws_pipes_pipe", "AWS::Pipes::Pipe"):
        if _path_has(path, "on_failure", "OnFailure", "dead_letter_config", "DeadLetterConfig"):
            return f"the on-failure destination of {source.address}"
    elif t in ("aws_cloudwatch_event_target", "AWS::Events::Rule", "aws_scheduler_schedule",
               "AWS::Scheduler::Schedule"):
        if _path_has(path, "dead_letter_config", "DeadLetterConfig"):
            return f"the dead-letter queue of {source.address}"
    return None


def _marked_by(ctx: RuleContext, source: Resource, queue: Resource) -> Optional[str]:
    """How `source` uses the queue as a dead-letter target through one of its references to it, or None."""
    return next((how for path in refs_to(ctx.graph, source, queue) if (how := _marks_dlq(source, path))), None)


def _allows_sources(doc: Any) -> bool:
    """A redrive-allow policy other than denyAll declares the queue a dead-letter queue."""
    if isinstance(doc, dict):
        return doc.get("redrivePermission") != "denyAll"
    return isinstance(doc, Unknown)


def dead_letter_uses(ctx: RuleContext, queue: Resource) -> list:
    """Why the queue is itself a dead-letter target (empty when nothing says so)."""
    uses = []
    for source in ctx.graph.referrers(queue):
        if source.type == TF_ALLOW_RESOURCE and ("queue_url",) in refs_to(ctx.graph, source, queue):
            if _allows_sources(policy_document(source.attrs.get("redrive_allow_policy"))):
                uses.append(f"allowed as a dead-letter queue by {source.address}")
            continue
        how = _marked_by(ctx, source, queue)
        if how:
            uses.append(how)
    if _allows_sources(policy_document(ctx.get(queue, REDRIVE_ALLOW_POLICY))):
        uses.append("its redrive-allow policy admits source queues")
    name = ctx.get(queue, QUEUE_NAME)
    if isinstance(name, str) and (_unit(queue), name) in _index(ctx).literal_dlq_names:
        uses.append(f"named as a dead-letter queue by ARN ({name})")
    label = name if isinstance(name, str) else queue.address.rsplit(".", 1)[-1]
    if _DLQ_NAME.search(label) or _DLQ_NAME.search(queue.address):
        uses.append("its name marks it as a dead-letter queue")
    return uses


def _stem(name: str) -> frozenset:
    """A queue name's words without those that say queue, FIFO or dead letter: `maat_provider_q` and
    `maat_provider_dlq` share {maat, provider}."""
    return frozenset(words(name) - _QUEUE_WORDS)


_QUEUE_WORDS = frozenset({"dlq", "dead", "letter", "deadletter", "q", "queue", "fifo"})


def _queue_labels(ctx: RuleContext, queue: Resource) -> list:
    return own_names(queue, ctx.get(queue, QUEUE_NAME))


def paired_dead_letter_queue(ctx: RuleContext, queue: Resource) -> Optional[Resource]:
    """The one queue of the same module that is named as the queue's dead-letter queue (`orders_dlq` beside
    `orders_q`) while nothing uses it as one: no redrive, subscription, function or destination names it.
    None when there is none or more than one, or the queue is itself named as a dead-letter queue. Only single
    blocks pair (no count/for_each), so that one reference names the pair."""
    labels = _queue_labels(ctx, queue)
    if queue.meta.get("expansion") or any(_DLQ_NAME.search(label) for label in labels):
        return None
    stems = {_stem(label) for label in labels} - {frozenset()}
    module = _module_prefix(queue)
    found = [other for other, other_module, other_stems in _unwired_dead_letter_queues(ctx, queue)
             if other is not queue and other_module == module and stems & other_stems]
    return found[0] if len(found) == 1 else None


def _module_prefix(res: Resource) -> str:
    """`module.a.` for `module.a.aws_sqs_queue.q`; empty for a root module's resource or a template's."""
    if res.format != "terraform":
        return ""
    return res.block_address[:len(res.block_address) - len(f"{res.type}.{res.meta.get('name', '')}")]


def _unwired_dead_letter_queues(ctx: RuleContext, queue: Resource) -> list:
    """[(queue, its module prefix, its name stems)] for the single-block queues of the queue's unit that are
    named as dead-letter queues while nothing uses them as one (built once per unit)."""
    unit = queue.meta.get("unit", "")

    def build() -> list:
        out = []
        for other in ctx.graph.in_unit_of_type(queue, *QUEUE_TYPES):
            labels = _queue_labels(ctx, other)
            if other.meta.get("expansion") or not any(_DLQ_NAME.search(label) for label in labels):
                continue
            if any(_marked_by(ctx, source, other) for source in ctx.graph.referrers(other)):
                continue  # wired to something
            out.append((other, _module_prefix(other), {_stem(label) for label in labels}))
        return out
    return ctx.graph.memo(("unwired-dead-letter-queues", unit), build)


# -- queue <-> event source mappings <-> functions -------------------------------------------------------
# Names a function goes by besides its own: its aliases and versions (SAM's AutoPublishAlias points every event
# source at the alias), whose `function_name`/`FunctionName` names the function.
ALIAS_TYPES = ("aws_lambda_alias", "AWS::Lambda::Alias", "AWS::Lambda::Version")


def _through_aliases(ctx: RuleContext, targets: list) -> list:
    """The functions among `targets`, an alias or version standing for its function."""
    out = []
    for t in targets:
        if t.type in ALIAS_TYPES:
            t = next((f for f in ctx.graph.targets(t, FUNCTION_NAME.path(t.format)) if f.type in FUNCTION_TYPES), None)
        if t is not None and t.type in FUNCTION_TYPES and not _contains(out, t):
            out.append(t)
    return out


def invokers_of(ctx: RuleContext, fn: Resource) -> list:
    """What references the function directly or through one of its aliases or versions."""
    out = list(ctx.graph.referrers(fn))
    for alias in [r for r in out if r.type in ALIAS_TYPES]:
        out.extend(r for r in ctx.graph.referrers(alias) if not _contains(out, r))
    return out


def _functions_named(ctx: RuleContext, source: Resource, path: tuple) -> list:
    """Functions a `function_name`/`FunctionName` names: by reference (to the function, an alias or a version),
    else by literal name or ARN."""
    found = _through_aliases(ctx, ctx.graph.targets(source, path))
    if found:
        return found
    value = lookup(source.attrs, path)
    if not isinstance(value, str):
        return []
    name = value.rsplit(":function:", 1)[-1].split(":", 1)[0]
    return [f for f in ctx.graph.in_unit(source)
            if f.type in FUNCTION_TYPES and ctx.get(f, FUNCTION_NAME) == name]


def mappings_from_queue(ctx: RuleContext, queue: Resource) -> list:
    """[(event source mapping, [functions])] for the mappings that read the queue."""
    out = []
    for m in ctx.graph.referrers(queue):
        if m.type not in MAPPING_TYPES:
            continue
        if not any(_path_has(p, "event_source_arn", "EventSourceArn") for p in refs_to(ctx.graph, m, queue)):
            continue
        out.append((m, _functions_named(ctx, m, FUNCTION_NAME.path(m.format))))
    return out


def queues_of_function(ctx: RuleContext, fn: Resource) -> list:
    """The queues whose event source mappings invoke the function."""
    out = []
    for m in invokers_of(ctx, fn):
        if m.type in MAPPING_TYPES and _contains(_functions_named(ctx, m, FUNCTION_NAME.path(m.format)), fn):
            out.extend(q for q in ctx.graph.targets(m, ("event_source_arn",) if m.format == "terraform"
                                                    else ("Properties", "EventSourceArn")) if q.type in QUEUE_TYPES)
    return out


# -- function <- asynchronous triggers; failure handling --------------------------------------------------
# Services that invoke Lambda asynchronously (Lambda developer guide, "Invoking functions asynchronously").
ASYNC_PRINCIPALS = {
    "s3.amazonaws.com": "S3", "sns.amazonaws.com": "SNS", "events.amazonaws.com": "EventBridge",
    "ses.amazonaws.com": "SES", "logs.amazonaws.com": "CloudWatch Logs", "iot.amazonaws.com": "IoT",
    "codecommit.amazonaws.com": "CodeCommit", "config.amazonaws.com": "AWS Config",
}


# `logs.eu-west-2.amazonaws.com`: the Regional form of a service principal names the same service
_REGIONAL_PRINCIPAL = re.compile(r"([a-z0-9-]+)\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com")
_PARTIAL_SERVICE = re.compile(r"([a-z0-9-]+)\.\*\.amazonaws\.com")
_IAM_IDENTITY_TYPES = ("aws_iam_role", "aws_iam_user", "AWS::IAM::Role", "AWS::IAM::User")
_IAM_IDENTITY_DATA = re.compile(r"(?:.*\.)?data\.aws_iam_(?:role|user)\.[\w-]+")


def invoking_service(ctx: RuleContext, permission: Resource, principal: Any) -> Any:
    """The service a Lambda permission lets invoke the function asynchronously (one of ASYNC_PRINCIPALS'
    names), None when it names no such service (another service, an account, a role or a user: direct calls),
    or an Unknown. A principal known only in part is decided by what is known: the Region in
    `logs.${data.aws_region.x.name}.amazonaws.com` does not change the service, and an ARN
    (`arn:aws:iam::${account}:role/operator`) or the ARN of a role or user is an IAM principal, whatever the
    account is."""
    if isinstance(principal, PartialString):
        if isinstance(principal.pieces[0], str) and principal.pieces[0].startswith("arn:"):
            return None
        m = _PARTIAL_SERVICE.fullmatch(principal.pattern())
        return ASYNC_PRINCIPALS.get(m.group(1) + ".amazonaws.com") if m else principal
    if isinstance(principal, Unknown):
        return None if _iam_identity_arn(ctx, permission, principal) else principal
    if not isinstance(principal, str):
        return None
    m = _REGIONAL_PRINCIPAL.fullmatch(principal)
    return ASYNC_PRINCIPALS.get(m.group(1) + ".amazonaws.com" if m else principal)


def _iam_identity_arn(ctx: RuleContext, permission: Resource, value: Unknown) -> bool:
    """`aws_iam_role.x.arn`, `data.aws_iam_role.x.arn`, `!GetAtt Role.Arn`: the value is that one ARN."""
    if len(value.refs) != 1 or not value.reason.endswith(("known only after apply", "known only after deployment",
                                                          "is read at plan time")):
        return False
    (address, attr), = value.refs
    if attr not in ("arn", "Arn"):
        return False
    if _IAM_IDENTITY_DATA.fullmatch(address):
        return True
    targets = ctx.graph.resolve(permission, address)
    return bool(targets) and all(t.type in _IAM_IDENTITY_TYPES for t in targets)


@dataclass
class Trigger:
    source: Resource
    service: Any  # str, or Unknown when the invoking principal cannot be decided


_IOT_AUTHORIZER_TYPES = ("AWS::IoT::Authorizer", "aws_iot_authorizer")
_IOT_RULE_TYPES = ("AWS::IoT::TopicRule", "aws_iot_topic_rule")


def _iot_authorizer_only(ctx: RuleContext, names: list) -> bool:
    """An IoT custom authorizer's function, which no topic rule invokes: IoT Core calls it synchronously (it
    waits for the policy the function returns), so its `iot.amazonaws.com` permission is not an asynchronous
    trigger."""
    users = {r.type for n in names for r in ctx.graph.referrers(n)}
    return bool(users & set(_IOT_AUTHORIZER_TYPES)) and not users & set(_IOT_RULE_TYPES)


def async_triggers(ctx: RuleContext, fn: Resource) -> list:
    """Resources that invoke the function asynchronously (or may: service Unknown)."""
    out = []
    names = [fn] + [r for r in ctx.graph.referrers(fn) if r.type in ALIAS_TYPES]
    for src in invokers_of(ctx, fn):
        paths = [p for n in names for p in refs_to(ctx.graph, src, n)]
        t = src.type
        if t in ("aws_lambda_permission", "AWS::Lambda::Permission"):
            principal = src.attrs.get("principal") if t == "aws_lambda_permission" else \
                lookup(src.attrs, ("Properties", "Principal"))
            service = invoking_service(ctx, src, principal)
            if isinstance(service, Unknown):
                out.append(Trigger(src, service))
            elif service is not None:
                if service == "IoT" and _iot_authorizer_only(ctx, names):
                    continue
                out.append(Trigger(src, service))
        elif t in ("aws_sns_topic_subscription", "AWS::SNS::Subscription", "AWS::SNS::Topic"):
            if any(_path_has(p, "endpoint", "Endpoint") for p in paths):
                out.append(Trigger(src, "SNS"))
        elif t == "aws_s3_bucket_notification" or t == "AWS::S3::Bucket":
            if any(_path_has(p, "lambda_function", "LambdaConfigurations") for p in paths):
                out.append(Trigger(src, "S3"))
        elif t in ("aws_cloudwatch_event_target", "AWS::Events::Rule"):
            if any(_path_has(p, "arn", "Arn") and not _path_has(p, "dead_letter_config", "DeadLetterConfig")
                   for p in paths):
                out.append(Trigger(src, "EventBridge"))
    return out


def failure_handling(ctx: RuleContext, fn: Resource) -> list:
    """What catches the function's failed asynchronous invocations: its DLQ, on-failure destinations."""
    out = []
    if ctx.has(fn, DLQ_TARGET):
        out.append(f"`{DLQ_TARGET.spelling(fn.format)}`")
    for cfg in ctx.graph.in_unit_of_type(fn, *INVOKE_CONFIG_TYPES):
        if not _contains(_functions_named(ctx, cfg, FUNCTION_NAME.path(cfg.format)), fn):
            continue
        if ctx.has(cfg, ON_FAILURE_DESTINATION):
            out.append(f"the on-failure destination of {cfg.address}")
    return out


# -- function environment -> DB endpoints; DB <- RDS Proxy targets -----------------------------------------
_ENDPOINT_ATTRS = {"address", "endpoint", "reader_endpoint", "Endpoint.Address", "ReadEndpoint.Address"}


def env_references(ctx: RuleContext, fn: Resource) -> tuple:
    """(databases whose endpoint the environment names, proxies the environment names)."""
    env = ("environment",) if fn.format == "terraform" else ("Properties", "Environment")
    dbs, proxies = [], []
    for path, addr, attr in fn.refs:
        if tuple(path[:len(env)]) != env:
            continue
        for t in ctx.graph.resolve(fn, addr):
            if t.type in DB_TYPES and attr in _ENDPOINT_ATTRS and not _contains(dbs, t):
                dbs.append(t)
            elif t.type in PROXY_TYPES and not _contains(proxies, t):
                proxies.append(t)
    return dbs, proxies


_DB_IDENTIFIER = {"aws_db_instance": "identifier", "aws_rds_cluster": "cluster_identifier",
                  "AWS::RDS::DBInstance": ("Properties", "DBInstanceIdentifier"),
                  "AWS::RDS::DBCluster": ("Properties", "DBClusterIdentifier")}


def proxy_coverage(ctx: RuleContext, db: Resource) -> Any:
    """The proxy target that fronts the DB, None when none does, or an Unknown when one might."""
    for src in ctx.graph.referrers(db):
        if src.type in ("aws_db_proxy_target", "AWS::RDS::DBProxyTargetGroup"):
            return src
    key = _DB_IDENTIFIER[db.type]
    ident = lookup(db.attrs, key if isinstance(key, tuple) else (key,))
    cluster = db.type in ("aws_rds_cluster", "AWS::RDS::DBCluster")
    maybe = None
    for tgt in ctx.graph.in_unit_of_type(db, "aws_db_proxy_target", "AWS::RDS::DBProxyTargetGroup"):
        # instance identifiers can only name instances, cluster identifiers only clusters
        if tgt.type == "aws_db_proxy_target":
            values = [tgt.attrs.get("db_cluster_identifier" if cluster else "db_instance_identifier")]
        else:
            props = tgt.attrs.get("Properties")
            v = props.get("DBClusterIdentifiers" if cluster else "DBInstanceIdentifiers") \
                if isinstance(props, dict) else None
            values = v if isinstance(v, list) else [v]
        for v in values:
            if isinstance(v, str) and isinstance(ident, str) and v == ident:
                return tgt
            if isinstance(v, Unknown) and not v.refs:
                maybe = Unknown(f"proxy target {tgt.address} names its database through a value that is not "
                                f"known ({v.reason})")
    return maybe


# RDS Proxy serves neither RDS for Oracle nor RDS for Db2 (nor RDS Custom for Oracle), and no Aurora Serverless
# v1 cluster (AWS: "Supported Regions and DB engines for Amazon RDS Proxy"; "RDS Proxy quotas and limitations").
_PROXYLESS_ENGINE_PREFIXES = ("oracle-", "custom-oracle-", "db2-")


def proxy_unsupported(ctx: RuleContext, db: Resource) -> Any:
    """Why no RDS Proxy can front the DB (a sentence), None when one can, or an Unknown when that is undecided."""
    engine = ctx.get(db, ENGINE)
    if isinstance(engine, str) and engine.lower().startswith(_PROXYLESS_ENGINE_PREFIXES):
        return f"RDS Proxy does not support the `{engine}` engine"
    if db.type in AURORA_CLUSTER_TYPES:
        mode = ctx.get(db, ENGINE_MODE)
        if isinstance(mode, str) and mode.lower() == "serverless":
            return "RDS Proxy cannot target an Aurora Serverless v1 cluster (`engine_mode` serverless)"
        if isinstance(mode, Unknown):
            return mode
    return engine if isinstance(engine, Unknown) else None


__all__ = ["Redrive", "redrive_of", "dead_letter_uses", "policy_document", "is_fifo", "as_bool", "as_int",
           "arn_name", "dead_letter_sources", "unresolved_redrive_resources", "mappings_from_queue", "queues_of_function", "async_triggers", "failure_handling",
           "env_references", "proxy_coverage", "proxy_unsupported", "Trigger", "ASYNC_PRINCIPALS",
           "paired_dead_letter_queue"]
