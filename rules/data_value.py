"""What holds data worth keeping: one classification, for both formats, that the backup, deletion, point-in-time
recovery and DR rules consult before they ask for backups, retention or protection.

Every resource those rules look at is either a *primary store* of durable data (a database, a table, a file
system, a volume, a bucket, a key that makes data readable ...), judged by default, or holds data of a class
that can be recreated or expires by itself (logs, queued messages, short-retention streams, secrets the stack
writes from its own inputs, caches without persistence, EMR clusters' scratch space, Terraform state-lock
tables, resources that exist only in a test deployment). A class of the second kind is judged only when the
configuration opts in:

    stateful:
      include: [logs, queues]

Each class, the types it covers and the reason are listed in CLASSES and written out in docs/data-value.md.
Some classes are structural: an S3 bucket is a log bucket because a load balancer, a distribution, another bucket or
a WAF ACL writes its logs there, and a Redis cache is a cache because its parameter group evicts any key; those
read the graph (the referrers of the bucket, the parameter group the cache names).
A classification that cannot be decided (a retention period from a parameter without a value) is an Unknown:
the rules then report `unknown` where they would have failed.
"""
from __future__ import annotations

import fnmatch
import functools
import json
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from rlint.lazy_regex import lazy_regex
from rlint.model import MISSING, EncodedJson, Outcome, PolicyDocument, Resource, Unknown
from rlint.rules.attrs.elasticache import DESCRIPTION
from rlint.rules.base import Attr, RuleContext, lookup
from rlint.rules.graphutil.names import words
from rlint.rules.graphutil.values import as_bool, as_int

PRIMARY = "primary"


@dataclass(frozen=True)
class DataClass:
    """One class of recreatable or transient data: the name the configuration uses, and why it is not judged
    by default."""

    name: str
    summary: str
    reason: str


CLASSES = {c.name: c for c in (
    DataClass("logs", "CloudWatch Logs log groups, and S3 buckets that receive the access logs of a load balancer, "
                      "a CloudFront distribution or another bucket, or the logs of a WAF web ACL, or whose bucket "
                      "policy lets only log delivery services write into them",
              "logs record what the system did; losing them loses history, not the system's state, and a "
              "stack recreates the group or the bucket empty"),
    DataClass("artifacts", "S3 buckets where Athena writes query results or CodePipeline keeps its artifacts",
              "a query writes its results again when it runs again, and a pipeline builds its artifacts again from "
              "its source on the next run; the source and the data queried are judged where they are kept"),
    DataClass("deployment-files", "S3 buckets that hold only files a deployment puts there: objects Terraform "
                                  "uploads from the repository (`aws_s3_object`), or the code packages Lambda "
                                  "functions and layers load, when nothing in the configuration may write anything "
                                  "else into them",
              "the next deployment uploads the same files again from the repository or its build; a bucket that an "
              "application may write into (a policy allowing writes, a function handed its name, an event "
              "notification, replication, object lock) keeps its own class"),
    DataClass("queues", "SQS queues",
              "messages in flight are kept at most 14 days and their producers can send them again; a stack "
              "recreates the queue empty and the system goes on"),
    DataClass("streams", "Kinesis data streams keeping records 7 days or less",
              "records expire after the retention period by design; a stream with long-term retention (more "
              "than 7 days) is a store and is judged"),
    DataClass("secrets", "Secrets Manager secrets whose value the template writes or generates",
              "a `SecretString` built from the stack's own inputs is written again when the stack is "
              "recreated, and a generated password is generated again and reset where it is used; a secret "
              "whose value is set outside the template is judged"),
    DataClass("caches", "caches without persistence (Memcached clusters, DAX clusters, Redis OSS or Valkey that keep "
                        "no snapshots and no append-only file), and Redis OSS or Valkey caches whose parameter "
                        "group evicts any key (`maxmemory-policy` `allkeys-*`)",
              "a cache holds copies of data kept elsewhere and comes back empty after any node failure; a Redis "
              "OSS or Valkey cache that may evict any key when its memory is full cannot be the only copy of "
              "anything, while one that does not (the default `volatile-lru` evicts only keys with an expiry) "
              "can hold data kept nowhere else. One that keeps no automatic snapshots and no append-only file "
              "is run as a cache: nothing of it outlives its nodes, so a copy in another Region would protect "
              "what the configuration already lets go; whether it should keep snapshots, or a final snapshot "
              "when it is deleted, is still asked (RL310, RL401, RL402)"),
    DataClass("scratch", "EMR clusters (HDFS and the instances' disks)",
              "HDFS is scratch space that AWS reclaims whenever the cluster terminates, by design; data meant to "
              "outlive a cluster is written to S3 (EMRFS, HBase on S3), where it is judged"),
    DataClass("lock-tables", "Terraform state-lock tables (a DynamoDB table whose only key is `LockID`; an empty "
                             "`range_key` is no sort key)",
              "a lock item lives while a Terraform run holds it; there is nothing to restore, and the state "
              "itself is in the S3 bucket, which is judged"),
    DataClass("expiring", "DynamoDB tables whose items expire (time to live enabled)",
              "time to live deletes each item once the expiry time the application wrote into it has passed: "
              "such a table holds working state (sessions, locks, leases, work queues, block lists) that "
              "expires by design, as a queue's messages do; a table that keeps its items for years through a "
              "long expiry is a store, and including the class judges it"),
    DataClass("test-only", "resources that exist only in a test deployment",
              "the template or module creates them only when a parameter or a value names a non-production "
              "environment (dev, test, qa, staging, sandbox ...) or switches test resources on, or their "
              "Terraform root module names a development or test environment and no production one, so their "
              "data is test data; no rule judges them, the availability rules included: production never runs "
              "on them"),
    DataClass("declared", "resources whose team declared the data recreatable (`# rlint:recreatable -- reason`, "
                          "`Metadata: {rlint: {recreatable: reason}}` or `stateful.recreatable`)",
              "what a store holds is sometimes known only to its team (a copy of reference data kept upstream, "
              "the working state of a CI tool, a throwaway conversion database); the team says so once, with a "
              "reason, instead of suppressing every rule that judges data"),
)}

# Environment names that mark a deployment as not production, compared in lower case, for `test-only`.
NON_PRODUCTION = frozenset({"dev", "develop", "development", "test", "testing", "tests", "qa", "uat", "staging",
                            "stage", "stg", "sandbox", "demo", "ci", "integ", "integration", "e2e", "preview",
                            "nonprod", "non-prod", "local"})

# -- type tables ---------------------------------------------------------------------------------------------
_LOG_TYPES = ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group")
_QUEUE_TYPES = ("AWS::SQS::Queue", "aws_sqs_queue")
_STREAM_TYPES = ("AWS::Kinesis::Stream", "aws_kinesis_stream")
_SECRET_TYPES = ("AWS::SecretsManager::Secret",)
_CACHE_CLUSTER_TYPES = ("AWS::ElastiCache::CacheCluster", "aws_elasticache_cluster")
_SERVERLESS_CACHE_TYPES = ("AWS::ElastiCache::ServerlessCache", "aws_elasticache_serverless_cache")
_DAX_TYPES = ("AWS::DAX::Cluster", "aws_dax_cluster")
_TABLE_TYPES = ("AWS::DynamoDB::Table", "aws_dynamodb_table", "AWS::DynamoDB::GlobalTable")
_EMR_TYPES = ("AWS::EMR::Cluster", "aws_emr_cluster")
_BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")
_REPLICATION_GROUP_TYPES = ("aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup")


@dataclass(frozen=True)
class _BucketWriter:
    """A resource that writes into the S3 bucket it references at `path` (list positions left out): logs or
    tool output. `keys`: for a CloudFormation key/value list (`LoadBalancerAttributes`), the keys whose value
    names the bucket."""

    type: str
    path: tuple
    kind: str
    what: str
    keys: frozenset = frozenset()


# What writes logs or tool output into a bucket, and where it names the bucket.
_BUCKET_WRITERS = (
    _BucketWriter("aws_lb", ("access_logs", "bucket"), "logs", "the access logs of load balancer {}"),
    _BucketWriter("aws_lb", ("connection_logs", "bucket"), "logs", "the connection logs of load balancer {}"),
    _BucketWriter("aws_alb", ("access_logs", "bucket"), "logs", "the access logs of load balancer {}"),
    _BucketWriter("aws_elb", ("access_logs", "bucket"), "logs", "the access logs of load balancer {}"),
    _BucketWriter("aws_cloudfront_distribution", ("logging_config", "bucket"), "logs",
                  "the access logs of distribution {}"),
    _BucketWriter("aws_s3_bucket_logging", ("target_bucket",), "logs", "the server access logs of a bucket ({})"),
    _BucketWriter("aws_s3_bucket", ("logging", "target_bucket"), "logs", "the server access logs of {}"),
    _BucketWriter("aws_wafv2_web_acl_logging_configuration", ("log_destination_configs",), "logs",
                  "the logs of a WAF web ACL ({})"),
    _BucketWriter("aws_athena_workgroup", ("configuration", "result_configuration", "output_location"),
                  "artifacts", "the query results of Athena workgroup {}"),
    _BucketWriter("aws_athena_database", ("bucket",), "artifacts", "the query results of Athena database {}"),
    _BucketWriter("aws_codepipeline", ("artifact_store", "location"), "artifacts", "the artifacts of pipeline {}"),
    _BucketWriter("AWS::ElasticLoadBalancingV2::LoadBalancer", ("Properties", "LoadBalancerAttributes", "Value"),
                  "logs", "the access logs of load balancer {}",
                  frozenset({"access_logs.s3.bucket", "connection_logs.s3.bucket"})),
    _BucketWriter("AWS::ElasticLoadBalancing::LoadBalancer", ("Properties", "AccessLoggingPolicy", "S3BucketName"),
                  "logs", "the access logs of load balancer {}"),
    _BucketWriter("AWS::CloudFront::Distribution", ("Properties", "DistributionConfig", "Logging", "Bucket"),
                  "logs", "the access logs of distribution {}"),
    _BucketWriter("AWS::S3::Bucket", ("Properties", "LoggingConfiguration", "DestinationBucketName"), "logs",
                  "the server access logs of {}"),
    _BucketWriter("AWS::WAFv2::LoggingConfiguration", ("Properties", "LogDestinationConfigs"), "logs",
                  "the logs of a WAF web ACL ({})"),
    _BucketWriter("AWS::Athena::WorkGroup",
                  ("Properties", "WorkGroupConfiguration", "ResultConfiguration", "OutputLocation"), "artifacts",
                  "the query results of Athena workgroup {}"),
    _BucketWriter("AWS::CodePipeline::Pipeline", ("Properties", "ArtifactStore", "Location"), "artifacts",
                  "the artifacts of pipeline {}"),
    _BucketWriter("AWS::CodePipeline::Pipeline", ("Properties", "ArtifactStores", "ArtifactStore", "Location"),
                  "artifacts", "the artifacts of pipeline {}"),
)
_WRITERS_BY_TYPE: dict = {}
for _w in _BUCKET_WRITERS:
    _WRITERS_BY_TYPE.setdefault(_w.type, []).append(_w)

# Kinesis keeps records 24 hours by default; "extended" retention goes to 7 days, "long-term" beyond it.
_STREAM_RETENTION = Attr("stream_retention_hours", "retention_period", "Properties.RetentionPeriodHours",
                         tf_default=24, cfn_default=24)
_LONG_TERM_HOURS = 168
_CACHE_ENGINE = Attr("cache_engine", "engine", "Properties.Engine")
_PARAMETER_GROUP = Attr("cache_parameter_group", "parameter_group_name", "Properties.CacheParameterGroupName")
_PARAMETER_GROUP_TYPES = {"terraform": "aws_elasticache_parameter_group",
                          "cloudformation": "AWS::ElastiCache::ParameterGroup"}
_EVICTION_POLICY = "maxmemory-policy"
# Redis persistence besides snapshots: an append-only file (`appendonly yes`, older engine versions only)
_APPEND_ONLY = "appendonly"
_SNAPSHOT_RETENTION = Attr("snapshot_retention_limit", "snapshot_retention_limit",
                           "Properties.SnapshotRetentionLimit", tf_default=0, cfn_default=0)
_GLOBAL_GROUP = Attr("global_replication_group_id", "global_replication_group_id",
                     "Properties.GlobalReplicationGroupId")
_GLOBAL_GROUP_TYPES = ("aws_elasticache_global_replication_group", "AWS::ElastiCache::GlobalReplicationGroup")
_SECRET_STRING = Attr("secret_string", None, "Properties.SecretString")
_GENERATE_SECRET = Attr("generate_secret_string", None, "Properties.GenerateSecretString")
_TF_HASH_KEY = ("hash_key",)
_TF_RANGE_KEY = ("range_key",)
_CFN_KEY_SCHEMA = ("Properties", "KeySchema")
_TTL = Attr("time_to_live", "ttl.enabled", "Properties.TimeToLiveSpecification.Enabled")
LOCK_KEY = "LockID"


@dataclass(frozen=True)
class DataValue:
    """A resource's class: PRIMARY or a CLASSES name, and the reason in words."""

    kind: str
    reason: str

    @property
    def primary(self) -> bool:
        return self.kind == PRIMARY


_PRIMARY = DataValue(PRIMARY, "a primary store of durable data")


def data_value(res: Resource, graph: Any = None, persistence: bool = True) -> Union[DataValue, Unknown]:
    """The class of the data `res` holds (PRIMARY for anything not listed in CLASSES), or an Unknown. Without
    the `graph` the structural classes (log buckets, evicting caches) are not recognised. `persistence=False`
    is for the rules that ask whether a Redis OSS or Valkey cache should keep snapshots (RL310) or a final one
    (RL401, RL402): one that keeps none is still a cache unless its eviction policy is `noeviction`."""
    declared = res.meta.get("declared")
    if declared is not None:  # the team's word wins over what rlint infers
        return DataValue("declared", f"declared recreatable at {declared.where}: {declared.reason}")
    scenario = test_only(res)
    if scenario is not None:
        return DataValue("test-only", scenario)
    t = res.type
    if t in _LOG_TYPES:
        return DataValue("logs", "a log group")
    if t in _QUEUE_TYPES:
        return DataValue("queues", "a queue")
    if t in _STREAM_TYPES:
        return _stream(res)
    if t in _SECRET_TYPES:
        return _secret(res)
    if t in _CACHE_CLUSTER_TYPES or t in _SERVERLESS_CACHE_TYPES or t in _REPLICATION_GROUP_TYPES:
        return _cache(res, graph, persistence)
    if t in _DAX_TYPES:
        return DataValue("caches", "a DAX cluster caches a DynamoDB table")
    if t in _TABLE_TYPES:
        return _table(res)
    if t in _EMR_TYPES:
        return DataValue("scratch", "an EMR cluster's HDFS ends with the cluster")
    if t in _BUCKET_TYPES and graph is not None:
        return _bucket(res, graph)
    return _PRIMARY


def _get(res: Resource, attr: Attr) -> Any:
    path = attr.path(res.format)
    value = lookup(res.attrs, path) if path else MISSING
    if value is MISSING or value is None:
        return attr.default(res.format)
    return value


def _stream(res: Resource) -> Union[DataValue, Unknown]:
    hours = as_int(_get(res, _STREAM_RETENTION))
    if isinstance(hours, Unknown):
        return Unknown(f"the stream's retention period is undecided ({hours.reason})", hours.refs)
    if isinstance(hours, int) and hours > _LONG_TERM_HOURS:
        return DataValue(PRIMARY, f"a stream keeping records {hours} hours (long-term retention)")
    return DataValue("streams", f"a stream keeping records {hours if isinstance(hours, int) else 24} hours")


def _secret(res: Resource) -> Union[DataValue, Unknown]:
    if _get(res, _GENERATE_SECRET) is not MISSING:
        return DataValue("secrets", "a generated secret: a new one is generated and reset where it is used")
    if _get(res, _SECRET_STRING) is not MISSING:
        return DataValue("secrets", "the template writes the secret's value from the stack's own inputs")
    return DataValue(PRIMARY, "a secret whose value is set outside the template")


def _cache(res: Resource, graph: Any, persistence: bool = True) -> Union[DataValue, Unknown]:
    engine = _get(res, _CACHE_ENGINE)
    if res.format == "terraform" and res.type == "aws_elasticache_cluster" and engine is MISSING:
        return _PRIMARY  # a node of a replication group: the group is judged
    if isinstance(engine, str) and engine.lower() == "memcached":
        return DataValue("caches", "a Memcached cluster has no persistence")
    evicting = _evicts_any_key(res, graph) if graph is not None else None
    if isinstance(evicting, Unknown):
        return evicting
    if evicting:
        return DataValue("caches", f"its parameter group evicts any key (`{_EVICTION_POLICY}` is `{evicting}`)")
    broker = _job_broker(res)
    if broker:
        return DataValue("queues", f"its description says it holds job queues (`{broker}`): jobs are sent again "
                                   f"by their producers, and a restored copy would run old ones twice")
    if isinstance(engine, Unknown) and res.type not in _REPLICATION_GROUP_TYPES:  # a group is never Memcached
        return Unknown(f"the cache engine is undecided ({engine.reason})", engine.refs)
    if res.type in _SERVERLESS_CACHE_TYPES or graph is None:
        return _PRIMARY
    bare = _without_persistence(res, graph)
    if persistence or isinstance(bare, Unknown) or bare.primary:
        return bare
    # asked whether it should keep snapshots (RL310) or a final one (RL401, RL402): a cache that keeps none is
    # run as a cache unless its eviction policy says no key may ever be dropped (a database, a queue)
    keeps = _keeps_every_key(res, graph)
    if keeps is not False:
        return keeps if isinstance(keeps, Unknown) else _PRIMARY
    return DataValue("caches", "it keeps no automatic snapshots and no append-only file, and its eviction policy "
                               "lets Redis drop keys when memory is full (`maxmemory-policy` is not `noeviction`): "
                               "it is run as a cache")


def _without_persistence(res: Resource, graph: Any) -> Union[DataValue, Unknown]:
    """A Redis OSS or Valkey cache that keeps no automatic snapshots, writes no append-only file and is in no
    Global Datastore: class `caches` (nothing of it outlives its nodes), else PRIMARY."""
    limit = as_int(_get(res, _SNAPSHOT_RETENTION))
    if isinstance(limit, Unknown):
        return Unknown(f"whether it keeps snapshots is undecided ({limit.reason})", limit.refs)
    if not isinstance(limit, int) or limit != 0:
        return _PRIMARY
    global_type = _GLOBAL_GROUP_TYPES[res.format != "terraform"]
    in_global = res.type in _REPLICATION_GROUP_TYPES and _get(res, _GLOBAL_GROUP) is not MISSING
    if in_global or graph.referrers(res, type=global_type):
        return _PRIMARY  # replicated to another Region: the configuration keeps it
    if any(_custom(r) for r in graph.referrers(res)):
        return _PRIMARY  # a custom resource acting on it may turn snapshots on: no claim that it keeps none
    for group in _parameter_groups(res, graph):
        value = _group_parameter(group, _APPEND_ONLY)
        if isinstance(value, Unknown):
            return Unknown(f"whether {group.address} turns on the append-only file is undecided ({value.reason})",
                           value.refs)
        if isinstance(value, str) and value.lower() == "yes":
            return _PRIMARY
    return DataValue("caches", "it keeps no automatic snapshots (`snapshot_retention_limit` 0) and no append-only "
                               "file: nothing of it outlives its nodes")


# words of a replication group's description that name a job broker: what it holds is a queue, not a store
_BROKER_WORDS = frozenset({"sidekiq", "celery", "resque", "bullmq", "broker", "queue", "queues"})


def _job_broker(res: Resource) -> Optional[str]:
    """The replication group's description when it says the group holds job queues (`Redis for Celery queues`)."""
    if res.type not in _REPLICATION_GROUP_TYPES:
        return None
    said = lookup(res.attrs, DESCRIPTION.path_in(res))  # `description`, or 4.x `replication_group_description`
    return said if isinstance(said, str) and _BROKER_WORDS & words(said) else None


def _eviction_policies(res: Resource, graph: Any):
    """The `maxmemory-policy` of each parameter group the cache names, in turn: a string, None when the group
    does not set it, or an Unknown saying which group's policy is undecided."""
    for group in _parameter_groups(res, graph):
        policy = _group_parameter(group, _EVICTION_POLICY)
        if isinstance(policy, Unknown):
            policy = Unknown(f"the eviction policy of {group.address} is undecided ({policy.reason})", policy.refs)
        yield policy


def _evicts_any_key(res: Resource, graph: Any) -> Union[str, None, Unknown]:
    """The `allkeys-*` eviction policy of the parameter group the cache names, None when it has none (or the
    group is not in the configuration: a default group evicts only keys with an expiry), an Unknown when the
    group's policy is undecided."""
    for policy in _eviction_policies(res, graph):
        if isinstance(policy, Unknown) or isinstance(policy, str) and policy.lower().startswith("allkeys-"):
            return policy
    return None


def _keeps_every_key(res: Resource, graph: Any) -> Union[bool, Unknown]:
    """True when the cache's parameter group sets `maxmemory-policy` to `noeviction` (Redis refuses writes
    rather than drop a key: data kept only there), False when the policy may drop keys (a default group's
    `volatile-lru`, any `*-lru`/`*-lfu`/`*-random`/`*-ttl`), an Unknown when the group is named but not in the
    configuration or its policy is undecided."""
    policies = list(_eviction_policies(res, graph))
    for policy in policies:
        if isinstance(policy, Unknown):
            return policy
        if isinstance(policy, str) and policy.lower() == "noeviction":
            return True
    if policies:
        return False
    named = lookup(res.attrs, _PARAMETER_GROUP.path(res.format))
    if named is MISSING or named is None or (isinstance(named, str) and named.startswith("default.")):
        return False  # the engine's default group: `volatile-lru`
    shown = named if isinstance(named, str) else "its parameter group"
    return Unknown(f"the eviction policy of {shown} is set outside the configuration", getattr(named, "refs", frozenset()))


def _custom(res: Resource) -> bool:
    return res.type.startswith("Custom::") or res.type == "AWS::CloudFormation::CustomResource"


def _parameter_groups(res: Resource, graph: Any) -> list:
    """The parameter groups of the configuration that the cache names (by reference, or by a literal name)."""
    group_type = _PARAMETER_GROUP_TYPES[res.format]
    path = _PARAMETER_GROUP.path(res.format)
    groups = graph.targets(res, path, type=group_type)
    if not groups:
        name = lookup(res.attrs, path)
        name_path = ("name",) if res.format == "terraform" else None
        if isinstance(name, str) and name_path:
            groups = [g for g in graph.in_unit_of_type(res, group_type) if lookup(g.attrs, name_path) == name]
    return groups


def _group_parameter(group: Resource, name: str) -> Any:
    """A parameter group's value for `name`: Terraform `parameter { name, value }` blocks, CloudFormation the
    `Properties` map."""
    if group.format == "cloudformation":
        params = lookup(group.attrs, ("Properties", "Properties"))
        return params.get(name) if isinstance(params, dict) else params
    blocks = group.attrs.get("parameter")
    if isinstance(blocks, Unknown):
        return blocks
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict) and block.get("name") == name:
            return block.get("value")
    return None


def _bucket(res: Resource, graph: Any) -> Union[DataValue, Unknown]:
    """A bucket that something writes logs or tool output into (`_BUCKET_WRITERS`) holds that class; one that a
    module call rlint could not read receives is undecided (that module may be such a writer)."""
    for writer in graph.referrers(res):
        for w in _WRITERS_BY_TYPE.get(writer.type, ()):
            if _writes_into(writer, res, w, graph):
                return DataValue(w.kind, "it receives " + w.what.format(writer.address))
    delivered_by = _log_delivery(res, graph)
    if delivered_by:
        return DataValue("logs", f"its bucket policy lets only log delivery write into it ({delivered_by})")
    module = res.meta.get("unread_module")
    if module:  # such a module may write its logs or artifacts into the bucket (class logs or artifacts, if read)
        return Unknown(f"{module}, whose source was not read, receives it: what that module writes into it is "
                       f"undecided (`terraform init -backend=false` reads the module)")
    deployed = _deployment_files(res, graph)
    if deployed:
        return DataValue("deployment-files", f"it holds only {deployed}")
    return _PRIMARY


# -- buckets of deployment files ------------------------------------------------------------------------------
# What a deployment puts into a bucket: objects Terraform uploads from the repository, and the packages Lambda
# functions and layers load their code from. An object without content is a folder marker: a folder made for
# uploads that come later, so not a deployment file.
_UPLOAD_TYPES = ("aws_s3_object", "aws_s3_bucket_object")
_UPLOAD_CONTENT = ("source", "content", "content_base64")
# Terraform only: CloudFormation has no resource that uploads a file, and a template's functions load code that
# packaging put into a bucket outside the template.
_CODE_READERS = {"aws_lambda_function": ("s3_bucket",), "aws_lambda_layer_version": ("s3_bucket",)}
# Referrers that only read the bucket or set it up, named where they name it: a distribution serving it (an
# origin), and the bucket's own settings (each at its `bucket` argument).
_READERS = {"aws_cloudfront_distribution": ("origin",)}
_SETTINGS = frozenset({"aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
                       "aws_s3_bucket_versioning", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_acl",
                       "aws_s3_bucket_website_configuration", "aws_s3_bucket_cors_configuration",
                       "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging",
                       "aws_s3_bucket_accelerate_configuration", "aws_s3_bucket_request_payment_configuration"})
# Policies: allowed when they let nobody write objects.
_POLICY_DOCUMENTS = {"aws_s3_bucket_policy": ("policy",), "aws_iam_policy": ("policy",),
                     "aws_iam_role_policy": ("policy",), "aws_iam_user_policy": ("policy",),
                     "aws_iam_group_policy": ("policy",)}
# The bucket's own settings (Terraform 3.x style) that keep what arrives: a team that replicates or locks objects
# keeps data there.
_KEEPING_SETTINGS = (("replication_configuration",), ("object_lock_configuration",), ("object_lock_enabled",))
_OBJECT_WRITES = ("s3:putobject", "s3:replicateobject", "s3:restoreobject")


def _deployment_files(res: Resource, graph: Any) -> Optional[str]:
    """What a deployment puts into the bucket ("the objects aws_s3_object.x uploads ..."), when that is all it
    can hold: every referrer uploads, loads code, serves, sets the bucket up or grants no write; else None."""
    if res.format != "terraform" or any(lookup(res.attrs, path) not in (MISSING, None, False)
                                        for path in _KEEPING_SETTINGS):
        return None
    users = graph.referrers(res)
    if not any(user.type in _UPLOAD_TYPES or user.type in _CODE_READERS for user in users):
        return None  # nothing puts deployment files there (most buckets): the policies need no reading
    named = {id(user) for user in users}
    users += [p for p in graph.in_unit_of_type(res, *_POLICY_DOCUMENTS)  # documents that name it through data
              if id(p) not in named and res in graph.looked_up(p)]
    uploads, code = [], []
    for user in users:
        paths = _paths_naming(user, res, graph)
        if user.type in _UPLOAD_TYPES and paths <= {("bucket",)}:
            if not any(user.attrs.get(k) not in (MISSING, None) for k in _UPLOAD_CONTENT):
                return None  # a folder marker
            uploads.append(user.address)
        elif user.type in _CODE_READERS and paths and all(_names_code(user.type, p) for p in paths):
            code.append(user.address)
        elif user.type in _READERS and all(p[:len(_READERS[user.type])] == _READERS[user.type] for p in paths):
            continue
        elif user.type in _SETTINGS and paths <= {("bucket",)}:
            continue
        elif user.type == "aws_s3_bucket_policy" and ("bucket",) not in paths:
            continue  # the policy of another bucket (its log bucket's, naming this one as the source of logs)
        elif user.type in _POLICY_DOCUMENTS and not _grants_writes(lookup(user.attrs, _POLICY_DOCUMENTS[user.type])):
            continue
        else:
            return None
    parts = []
    if uploads:
        parts.append(f"the objects {_named(uploads)} uploads")
    if code:
        parts.append(f"the code {_named(code)} loads")
    return " and ".join(parts) or None


def _names_code(rtype: str, path: tuple) -> bool:
    """`path` is where a function or layer names the bucket its code is loaded from (or that code's key)."""
    where = _CODE_READERS[rtype]
    return path[:len(where)] == where or path[:1] in (("s3_key",), ("s3_object_version",))


def _paths_naming(user: Resource, bucket: Resource, graph: Any) -> set:
    """The attribute paths (list positions left out) at which `user` references `bucket`."""
    return {tuple(k for k in path if not isinstance(k, int)) for path, target, _attr in user.refs
            if any(t is bucket for t in graph.resolve(user, target))}


def _named(addresses: list) -> str:
    shown = ", ".join(addresses[:2])
    return shown + (f" and {len(addresses) - 2} more" if len(addresses) > 2 else "")


def _grants_writes(document: Any) -> bool:
    """True unless the policy document can be read and no statement of it allows writing objects."""
    actions = _allowed_actions(document)
    return actions is None or any(fnmatch.fnmatchcase(write, a.lower()) for a in actions for write in _OBJECT_WRITES)


def _allowed_actions(document: Any) -> Optional[list]:
    """Every action an Allow statement of the document names; None when that cannot be read (a `NotAction`, an
    undecided value)."""
    statements = _statements(document, principals=False)
    if statements is None:
        return None
    out = []
    for effect, actions, _who in statements:
        if not isinstance(effect, str):
            return None
        if effect.lower() != "allow":
            continue
        if actions is None or not all(isinstance(a, str) for a in actions):
            return None
        out.extend(actions)
    return out


# -- buckets whose policy lets log delivery write into them ---------------------------------------------------
# AWS services that deliver logs into a bucket through its bucket policy: CloudWatch Logs' vended logs (NLB
# access logs, VPC flow logs, WAF logs ...), ALB access logs in the Regions opened since August 2022, S3 server
# access logs. CloudTrail and AWS Config are left out on purpose: their logs are audit records, kept as such.
_LOG_DELIVERY_SERVICES = frozenset({"delivery.logs.amazonaws.com", "logdelivery.elasticloadbalancing.amazonaws.com",
                                    "logging.s3.amazonaws.com"})
# The Elastic Load Balancing accounts that write access logs in the older Regions (AWS publishes one per Region),
# and the data source that names the account of a Region.
_ELB_LOG_ACCOUNTS = frozenset({
    "127311923021", "033677994240", "027434742980", "797873946194", "098369216593", "754344448648", "582318560864",
    "600734575887", "383597477331", "718504428378", "114774131450", "783225319266", "985666609251", "054676820928",
    "156460612806", "652711504416", "635631232127", "009996457667", "897822967062", "076674570225", "507241528517",
    "048591011584", "190560391635", "638102146993", "037604701340"})
_ELB_ACCOUNT_DATA = "data.aws_elb_service_account."
_ACCOUNT_PRINCIPAL = lazy_regex(r"^(?:arn:aws(?:-cn|-us-gov)?:iam::)?(?P<account>\d{12})(?::root)?$")
_WRITE_ACTIONS = frozenset({"*", "s3:*", "s3:put*", "s3:putobject"})
_BUCKET_POLICY_TYPES = {"terraform": ("aws_s3_bucket_policy", ("bucket",), ("policy",)),
                        "cloudformation": ("AWS::S3::BucketPolicy", ("Properties", "Bucket"),
                                           ("Properties", "PolicyDocument"))}


def _log_delivery(res: Resource, graph: Any) -> Optional[str]:
    """Who delivers logs into the bucket, when a bucket policy of the configuration lets write into it only log
    delivery services; else None (no policy, another writer, or one that cannot be read)."""
    policy_type, bucket_path, document_path = _BUCKET_POLICY_TYPES[res.format]
    documents = [lookup(p.attrs, document_path) for p in graph.referrers(res, type=policy_type)
                 if _names_bucket(p, bucket_path, res, graph)]
    if res.format == "terraform":
        documents.append(res.attrs.get("policy"))  # the bucket's own `policy` argument (provider 3.x style)
    for document in documents:
        writers = _policy_writers(document)
        if writers and all(w is not None for w in writers):
            return ", ".join(sorted(set(writers)))
    return None


def _names_bucket(policy: Resource, path: tuple, bucket: Resource, graph: Any) -> bool:
    return any(tuple(p[:len(path)]) == path and any(t is bucket for t in graph.resolve(policy, target))
               for p, target, _attr in policy.refs)


def _policy_writers(document: Any) -> Optional[list]:
    """For each principal a policy document lets write objects: a description when it is a log delivery service
    or account, None when it is anything else or cannot be read. None for a document that cannot be read."""
    statements = _statements(document)
    if statements is None:
        return None
    writers = []
    for effect, actions, principals in statements:
        if isinstance(effect, str) and effect.lower() != "allow":
            continue
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions) or \
                not isinstance(effect, str):
            return None  # undecided: no claim either way
        if not any(a.lower() in _WRITE_ACTIONS for a in actions):
            continue
        writers.extend(_log_writer(kind, who) for kind, who in principals)
    return writers


def _log_writer(kind: Any, who: Any) -> Optional[str]:
    if isinstance(who, Unknown):
        if kind == "AWS" and any(_ELB_ACCOUNT_DATA in str(address) for address, _attr in who.refs):
            return "the Elastic Load Balancing account of its Region (access logs)"
        return None
    if not isinstance(who, str):
        return None
    if kind == "Service" and who.lower() in _LOG_DELIVERY_SERVICES:
        return f"`{who}`"
    m = _ACCOUNT_PRINCIPAL().match(who)
    if kind == "AWS" and m and m.group("account") in _ELB_LOG_ACCOUNTS:
        return f"the Elastic Load Balancing account {m.group('account')} (access logs)"
    return None


def _statements(document: Any, principals: bool = True) -> Optional[list]:
    """(effect, actions, [(principal type, principal)]) per statement of a policy document: a Terraform
    `aws_iam_policy_document`, JSON text (`jsonencode`) or a CloudFormation `PolicyDocument`. With
    `principals=False` who a statement names is not read ([] for each): an identity policy names nobody."""
    if isinstance(document, PolicyDocument):
        out = []
        for st in document.statements:
            if not isinstance(st, dict) or "not_actions" in st or principals and "not_principals" in st:
                return None
            who = []
            for p in (st.get("principals") or ()) if principals else ():
                ids = p.get("identifiers") if isinstance(p, dict) else None
                if not isinstance(ids, list):
                    return None
                who.extend((p.get("type"), i) for i in ids)
            out.append((st.get("effect", "Allow"), _as_list(st.get("actions")), who))
        return out
    document = _json_value(document)
    if not isinstance(document, dict):
        return None
    statements = document.get("Statement")
    out = []
    for st in statements if isinstance(statements, list) else [statements]:
        if not isinstance(st, dict) or "NotAction" in st or principals and "NotPrincipal" in st:
            return None
        principal = st.get("Principal")
        if not principals:
            who = []
        elif principal == "*":
            who = [("AWS", "*")]
        elif isinstance(principal, dict):
            who = [(kind, one) for kind, ids in principal.items() for one in _as_list(ids) or [ids]]
        else:
            return None
        out.append((st.get("Effect", "Allow"), _as_list(st.get("Action")), who))
    return out


def _json_value(document: Any) -> Any:
    """A policy written as JSON text, or by `jsonencode` of a value with parts known only at apply: the value."""
    if isinstance(document, EncodedJson):
        return document.value
    if isinstance(document, str):
        try:
            return json.loads(document)
        except ValueError:
            return None
    return document


def _as_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value if isinstance(value, list) else None


def _writes_into(writer: Resource, bucket: Resource, w: _BucketWriter, graph: Any) -> bool:
    for path, target, _attr in writer.refs:
        if tuple(k for k in path if not isinstance(k, int))[:len(w.path)] != w.path:
            continue
        if w.keys and not _keyed(writer, path, w.keys):
            continue
        if any(t is bucket for t in graph.resolve(writer, target)):
            return True
    return False


def _keyed(writer: Resource, path: tuple, keys: frozenset) -> bool:
    """The key/value list entry at `path` (..., index, "Value") has one of `keys`."""
    entry = lookup(writer.attrs, path[:-1])
    return isinstance(entry, dict) and entry.get("Key") in keys


def _table(res: Resource) -> Union[DataValue, Unknown]:
    if _lock_table(res):
        return DataValue("lock-tables", "its only key is `LockID`: a Terraform state-lock table")
    ttl = as_bool(_get(res, _TTL))
    if isinstance(ttl, Unknown):
        return Unknown(f"whether its items expire is undecided ({ttl.reason})", ttl.refs)
    if ttl is True:
        return DataValue("expiring", "its items expire (time to live is enabled)")
    return _PRIMARY


def _lock_table(res: Resource) -> bool:
    if res.format == "terraform":
        hash_key, range_key = lookup(res.attrs, _TF_HASH_KEY), lookup(res.attrs, _TF_RANGE_KEY)
        # an input naming the key is a general-purpose table module; the provider reads "" as no sort key
        return hash_key == LOCK_KEY and range_key in (MISSING, None, "")
    schema = lookup(res.attrs, _CFN_KEY_SCHEMA)
    return isinstance(schema, list) and len(schema) == 1 and isinstance(schema[0], dict) \
        and schema[0].get("AttributeName") == LOCK_KEY


def test_only(res: Resource) -> Optional[str]:
    """When the resource exists only in scenarios where a parameter names a non-production environment: a
    description of that, else None. The scenario engine records, per resource, the parameter values under
    which it exists (meta `exists_when`: {parameter: [values]})."""
    if res.format == "terraform":
        counted = _tf_test_only(res) if res.meta.get("expansion") == "count" else None
        if counted:
            return counted
        said = non_production_root(res)
        return f"is in a non-production root module ({said})" if said else None
    for param, values in sorted((res.meta.get("exists_when") or {}).items()):
        names = [str(v).lower() for v in values]
        shown = " or ".join(map(repr, values))
        if names and all(n in NON_PRODUCTION for n in names):
            return f"exists only when {param} is {shown}"
        if names and all(n in _TRUTHY for n in names) and _TEST_WORDS & words(param):
            return f"exists only when {param}, a switch for test resources, is {shown}"
    said = non_production_root(res)  # a template a Terraform root deploys (aws_cloudformation_stack)
    return f"is deployed by a non-production root module ({said})" if said else None


# Terraform: `count = var.env == "dev" ? 1 : 0` or `count = contains(["dev", "test"], local.env) ? 1 : 0`, as
# written (whatever the value is in this deployment, the resource exists only where it names a test environment)
_TF_ONE_ENV = lazy_regex(r'^\s*(?:(?P<ref>[\w.\-\[\]"]+)\s*==\s*"(?P<value>[^"]*)"|"(?P<value2>[^"]*)"\s*==\s*'
                         r'(?P<ref2>[\w.\-\[\]"]+))\s*\?\s*[1-9]\d*\s*:\s*0\s*$')
_TF_ENV_LIST = lazy_regex(r'^\s*contains\(\s*\[(?P<values>(?:\s*"[^"]*"\s*,?)+)\]\s*,\s*(?P<ref>[\w.\-\[\]"]+)\s*\)'
                          r'\s*\?\s*[1-9]\d*\s*:\s*0\s*$')
# ... or `count = local.is_dev ? 1 : 0` where the local holds such a comparison (the evaluator records its text,
# meta `count_condition`). The compared side may be computed (`substr(terraform.workspace, ...)`), but holds no
# operator that could make the comparison one part of a wider condition.
_TF_LOCAL_SWITCH = lazy_regex(r'^\s*local\.[\w-]+\s*\?\s*[1-9]\d*\s*:\s*0\s*$')
_TF_LOCAL_ONE_ENV = lazy_regex(r'^\s*(?:(?P<ref>[^?|&=!<>"]+?)\s*==\s*"(?P<value>[^"]*)"|"(?P<value2>[^"]*)"\s*==\s*'
                               r'(?P<ref2>[^?|&=!<>"]+?))\s*$')
_TF_LOCAL_ENV_LIST = lazy_regex(r'^\s*contains\(\s*\[(?P<values>(?:\s*"[^"]*"\s*,?)+)\]\s*,\s*'
                                r'(?P<ref>[^?|&=!<>"]+?)\s*\)\s*$')
# A workspace-name suffix (`"-development"` compared with what follows the application's name) names the
# environment after its separator.
_SEPARATORS = "-_./:"


def _tf_test_only(res: Resource) -> Optional[str]:
    expr = res.meta.get("expansion_expr")
    if not isinstance(expr, str):
        return None
    found = _environments(expr, _TF_ONE_ENV(), _TF_ENV_LIST())
    how = f"`count = {expr.strip()}`"
    condition = res.meta.get("count_condition")
    if found is None and condition and _TF_LOCAL_SWITCH().match(expr):
        name, text = condition
        found = _environments(text, _TF_LOCAL_ONE_ENV(), _TF_LOCAL_ENV_LIST())
        how = f"`count = {expr.strip()}`, `{name} = {' '.join(text.split())}`"
    if found is None:
        return None
    ref, values = found
    if values and all(v.strip(_SEPARATORS).lower() in NON_PRODUCTION for v in values):
        return f"exists only when {ref} is {' or '.join(map(repr, values))} ({how})"
    return None


def _environments(text: str, one: re.Pattern, listed: re.Pattern) -> Optional[tuple]:
    """(what is compared, [the values it is compared with]) for `X == "v"`, `"v" == X` or
    `contains(["v", ...], X)` as `one` and `listed` read them; else None."""
    m = one.match(text)
    if m:
        return (m.group("ref") or m.group("ref2")).strip(), [m.group("value") if m.group("ref") else m.group("value2")]
    m = listed.match(text)
    if m:
        return m.group("ref").strip(), re.findall(r'"([^"]*)"', m.group("values"))
    return None


# A root module is a non-production environment when what it says of its environment (evaluate/environment.py:
# an environment-named local or given variable, its directory) names only these, and nothing names production.
# Staging and acceptance environments are left judged: they are often built to be production's equal, and
# rehearse its failures; so are training environments, which people use for real work (their backups were
# judged worth keeping on public code).
ROOT_NON_PRODUCTION = (NON_PRODUCTION - {"staging", "stage", "stg", "uat"}) | {
    "poc", "prototype", "playground", "feasibility", "experiment", "experiments"}
# A directory's name may carry the environment as its last word (`billing-dev`, `ccms-soa-sandbox`): only words
# that never name a production component count there (`salesforce-integration`, `build-ci`, `public-demo` may be
# production's own).
_DIRECTORY_SUFFIXES = ("dev", "develop", "development", "test", "testing", "sandbox", "nonprod", "non-prod", "qa",
                       "poc", "prototype", "playground", "preview", "feasibility")
PRODUCTION = frozenset({"prod", "production", "prd", "live"})


def non_production_root(res: Resource) -> Optional[str]:
    """How the resource's Terraform root module says it is a non-production environment (`local.env = "dev"`,
    its directory `dev`) when all it says names one, else None."""
    said = res.meta.get("environments")
    return _non_production(said) if said else None


@functools.lru_cache(maxsize=4096)
def _non_production(said: tuple) -> Optional[str]:
    """non_production_root for what one root says (every resource of a root shares the same tuple; the rules
    visit the roots' resources in turn, so the cache holds a scan's roots)."""
    named = [(how, _environment_named(kind, name.strip(_SEPARATORS).lower())) for kind, how, name in said]
    if any(name in PRODUCTION for _how, name in named):
        return None
    test = [how for how, name in named if name in ROOT_NON_PRODUCTION]
    return ", ".join(test) if test else None


def _environment_named(kind: str, name: str) -> str:
    """The environment a value or a directory name names: the whole name, or a directory's last word when it is
    one that names only environments (a production suffix counts too: `billing-prod` is production's)."""
    if kind != "directory" or name in ROOT_NON_PRODUCTION or name in PRODUCTION:
        return name
    for word in _DIRECTORY_SUFFIXES + tuple(PRODUCTION):
        if len(name) > len(word) + 1 and name.endswith(word) and name[-len(word) - 1] in "-_.":
            return "non-prod" if word == "prod" and name.endswith(("non-prod", "non_prod")) else word
    return name


# A parameter switching test resources on (`DeployTestResources: "True"`, `CreateTestTable: yes`): its name has one
# of these words, and the resource exists only where it takes a true value.
_TEST_WORDS = frozenset({"test", "tests", "testing"})
_TRUTHY = frozenset({"true", "yes", "enabled", "enable", "on", "1"})




# -- what the rules call ------------------------------------------------------------------------------------
def included(ctx: RuleContext) -> frozenset:
    """The classes the configuration opts in to (`stateful.include`)."""
    return included_in(ctx.settings)


def included_in(settings: dict) -> frozenset:
    """`included` for the configuration's sections themselves (the engine reads them before any rule runs)."""
    return frozenset((settings.get("stateful") or {}).get("include") or ())


def worth_keeping(ctx: RuleContext, res: Resource, persistence: bool = True) -> Any:
    """True when the rules should judge the resource's data (a primary store, or a class the configuration
    includes), False when not, an Unknown when its class cannot be decided (`persistence`: see data_value)."""
    value = data_value(res, ctx.graph, persistence)
    if isinstance(value, Unknown):
        return value
    if value.primary and res.type in _KEY_TYPES:
        kinds = encrypted_classes(ctx, res)
        if kinds:
            return bool(kinds & included(ctx))
    return value.primary or value.kind in included(ctx)


# -- keys: judged as the data they encrypt --------------------------------------------------------------------
# A key holds no data; losing it makes what it encrypted unreadable. A key that only the template's log groups,
# queues, topics, short streams or written secrets use keeps nothing those classes would not lose anyway.
_KEY_TYPES = ("AWS::KMS::Key", "aws_kms_key")
# Referrers that name, grant or replicate a key without encrypting data with it: KMS and IAM resources.
_KEY_HANDLE_SERVICES = ("kms", "iam")


def _names_key_only(res: Resource) -> bool:
    parts = res.type.split("::") if res.format != "terraform" else res.type.split("_")
    return len(parts) > 1 and parts[1].lower() in _KEY_HANDLE_SERVICES
# Topics hold messages only while they are delivered: like queues, their producers send again.
_TOPIC_TYPES = ("AWS::SNS::Topic", "aws_sns_topic")


def encrypted_classes(ctx: RuleContext, key: Resource) -> frozenset:
    """The classes of the data the key encrypts, when every resource of the scan that uses it holds data of a
    CLASSES class; empty when one holds primary data, its class is undecided, or nothing in the scan uses the
    key (then what it encrypts is elsewhere, and the key is judged as a primary store)."""
    kinds = set()
    for user in ctx.graph.referrers(key):
        if _names_key_only(user) or user is key:
            continue
        value = DataValue("queues", "a topic") if user.type in _TOPIC_TYPES else data_value(user, ctx.graph)
        if isinstance(value, Unknown) or value.primary:
            return frozenset()
        kinds.add(value.kind)
    return frozenset(kinds)


def judges_kept_data(check=None, *, persistence: bool = True):
    """Decorate a rule's `check`: silent on data that is not worth keeping, and `unknown` instead of a
    failure when that cannot be decided. `@judges_kept_data(persistence=False)`: for the rules that ask whether
    a cache should persist, a cache is not recreatable merely because it keeps no snapshots."""
    if check is None:
        return functools.partial(judges_kept_data, persistence=persistence)

    @functools.wraps(check)
    def wrapped(self, res, ctx):
        kept = worth_keeping(ctx, res, persistence)
        if kept is False:
            return
        for result in check(self, res, ctx):
            if isinstance(kept, Unknown) and result.outcome is Outcome.FAIL:
                yield self.unknown(res, kept, what="whether it holds data worth keeping")
                return
            yield result
    wrapped.judges_kept_data = True
    return wrapped


def judges_data(rule) -> bool:
    """The rule consults the data-value model (its check is decorated with judges_kept_data)."""
    return bool(getattr(getattr(rule, "check", None), "judges_kept_data", False))


__all__ = ["PRIMARY", "CLASSES", "DataClass", "DataValue", "NON_PRODUCTION", "LOCK_KEY", "data_value",
           "included", "included_in", "test_only", "non_production_root", "worth_keeping", "judges_kept_data", "judges_data",
           "encrypted_classes"]
