"""Generate a deterministic corpus of AWS Terraform modules and CloudFormation templates to benchmark rlint.

    python benchmarks/generate.py --modules N --templates N --out DIR [--seed S] [--force]

Layout under DIR (N from 10 to 5,000; 0 leaves a side out):

    terraform/m0000-orders/         one root module per --modules
        main.tf                     terraform/provider blocks, data sources, 2 to ~40 resource blocks
        variables.tf, outputs.tf    inputs (some without default) and outputs
        locals.tf                   half the modules; the others keep their locals block in main.tf
        terraform.tfvars            some modules: values for the variables left without default
        modules/<kind>/*.tf         about one module in five: a local child module called with inputs
    templates/t0000-orders.yaml     one template per --templates: YAML (short-form tags !Ref, !GetAtt,
    templates/t0001-billing.json    !Sub, !If, ... in most of them, long form in the rest) or JSON (~30%)

Each module or template is assembled from reliability-relevant components: RDS, Aurora, ElastiCache, an Auto
Scaling group behind a load balancer, Route 53 failover with health checks, AWS Backup, SQS with dead-letter
queues, DynamoDB, EFS, Lambda behind a queue, and subnets spread over Availability Zones. Values come from
literals, variables/parameters (with and without defaults), locals, lookups, mappings and conditionals on the
environment. About a third of the modules and templates are misconfigured: one or two of their components
take a failing variant (single AZ, one node, EC2 health checks, no health check on the PRIMARY record, short
backup retention, no dead-letter queue, no DeletionPolicy, ...). A value that depends on an unset variable or
a parameter without default is left to the scanner to call unknown.

Every item is seeded from (seed, side, index) alone: the corpus for N=10 is the first ten items of the corpus
for N=1000, and the same arguments always give byte-identical files. Standard library only; check the output
with benchmarks/check_corpus.py.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

MAX_ITEMS = 5000  # the index is written with four digits

SERVICES = ("orders", "payments", "billing", "inventory", "catalog", "checkout", "search", "accounts",
            "shipping", "ledger", "notifications", "reporting", "identity", "pricing", "reviews", "fulfillment",
            "media", "analytics", "support", "loyalty", "quotes", "invoices", "returns", "profiles", "gateway",
            "scheduler", "documents", "claims", "booking", "rewards")
PARTS = ("main", "primary", "orders", "events", "sessions", "audit", "reports", "jobs", "users", "carts",
         "ledger", "tokens", "assets", "uploads", "metrics", "feeds", "history", "archive", "api", "worker",
         "ingest", "export", "imports", "sync", "notify", "profile", "lookup", "quota", "config", "state")
QUEUE_KEYS = ("created", "updated", "cancelled", "settled", "refunds", "retries", "emails", "webhooks",
              "exports", "imports")
DB_ENGINES = (("postgres", "16.3"), ("postgres", "15.7"), ("mysql", "8.0.36"), ("mariadb", "10.11.8"))
AURORA_ENGINES = (("aurora-postgresql", "16.2"), ("aurora-mysql", "8.0.mysql_aurora.3.05.2"))
CACHE_ENGINES = (("redis", "7.1", "default.redis7"), ("valkey", "8.0", "default.valkey8"))
RUNTIMES = (("python3.12", "app.handler"), ("nodejs20.x", "index.handler"), ("java21", "app.Handler::handle"))
DB_CLASSES = {"prod": "db.r6g.large", "staging": "db.t4g.medium", "dev": "db.t4g.small"}
CACHE_NODES = {"prod": "cache.r6g.large", "staging": "cache.t4g.medium", "dev": "cache.t4g.small"}
INSTANCE_TYPES = {"prod": "m6i.large", "staging": "t3.medium", "dev": "t3.small"}
MULTI_AZ_BY_ENV = {"prod": "true", "staging": "false", "dev": "false"}
SIZES = ((3, 6), (7, 15), (16, 30))  # small, medium, large targets in resource blocks
SIZE_WEIGHTS = (4, 4, 2)
BACKUP_CRON = "cron(0 5 * * ? *)"
LONG_RETENTION = (90, 180, 365)  # days; backups must outlive RDS's own 35-day window
SHORT_RETENTION = (7, 14, 35)
ACCOUNT = "123456789012"


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def scoped(name: str, key: str) -> str:
    """A per-component identifier; a child module's single component ("this") takes the bare key."""
    return key if name == "this" else f"{name}_{key}"


def pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[_-]", name))


# ---------------------------------------------------------------------------------------------- HCL writer
# Expression trees: str is a raw HCL expression (use q() for a string literal), bool and int are literals,
# dict is an object, list a tuple, Call a function call, Heredoc an indented heredoc. Block bodies are lists
# of (key, value) pairs, so a nested block (a Blk value) may repeat.

class Call:
    def __init__(self, name: str, *args):
        self.name, self.args = name, args


class Heredoc(str):
    pass


class Blk:
    def __init__(self, body: list, *labels: str):
        self.body, self.labels = body, labels


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
META_ARGS = ("count", "for_each")


def q(text: str) -> str:
    """An HCL quoted string: JSON's escapes are HCL's for the ASCII text written here."""
    return json.dumps(text)


def lit(value):
    """A Python value as an expression tree of literals."""
    if isinstance(value, str):
        return q(value)
    if isinstance(value, dict):
        return {k: lit(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lit(v) for v in value]
    return value


def hcl(value, ind: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Heredoc):
        body = "\n".join(" " * (ind + 2) + line if line else "" for line in value.splitlines())
        return f"<<-EOT\n{body}\n{' ' * ind}EOT"
    if isinstance(value, str):
        return value
    if isinstance(value, Call):
        args = ", ".join(hcl(a, ind) for a in value.args)
        # a heredoc's closing marker must end its line, so the parenthesis goes on the next one
        tail = "\n" + " " * ind if value.args and isinstance(value.args[-1], Heredoc) else ""
        return f"{value.name}({args}{tail})"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v, ind) for v in value) + "]"
    if isinstance(value, dict):
        return hcl_object(value, ind)
    raise TypeError(f"no HCL form for {value!r}")


def hcl_object(obj: dict, ind: int) -> str:
    if not obj:
        return "{}"
    keys = [k if IDENT.fullmatch(k) else q(k) for k in obj]
    width = max(map(len, keys))
    pad = " " * (ind + 2)
    lines = [f"{pad}{k.ljust(width)} = {hcl(v, ind + 2)}" for k, v in zip(keys, obj.values())]
    return "{\n" + "\n".join(lines) + "\n" + " " * ind + "}"


def hcl_body(pairs: list, ind: int) -> list:
    """Lines of a block body, laid out like terraform fmt: aligned runs of attributes, blank lines around
    nested blocks and after count/for_each."""
    pad = " " * ind
    lines, run = [], []

    def flush():
        if run:
            width = max(len(k) for k, _ in run)
            lines.extend(f"{pad}{k.ljust(width)} = {hcl(v, ind)}" for k, v in run)
            run.clear()

    for key, value in pairs:
        if isinstance(value, Blk) or key in META_ARGS:
            flush()
            if lines and lines[-1]:
                lines.append("")
            if isinstance(value, Blk):
                lines.extend(hcl_block(key, value.labels, value.body, ind))
            else:
                lines.extend([f"{pad}{key} = {hcl(value, ind)}", ""])
        else:
            if not run and lines and lines[-1]:
                lines.append("")
            run.append((key, value))
    flush()
    return lines


def hcl_block(kind: str, labels, body: list, ind: int = 0) -> list:
    head = " " * ind + " ".join([kind, *(q(label) for label in labels)]) + " {"
    return [head, *hcl_body(body, ind + 2), " " * ind + "}"]


def hcl_file(comment: str, blocks: list) -> str:
    return f"# {comment}\n\n" + "\n\n".join("\n".join(b) for b in blocks) + "\n"


# ------------------------------------------------------------------------------------- Terraform modules

NO_DEFAULT = object()


class TfModule:
    """One Terraform module being assembled; a child module reads its name, tags and environment from inputs."""

    def __init__(self, rng: random.Random, env, child: bool = False, with_tfvars: bool = False):
        self.rng, self.env, self.child, self.with_tfvars = rng, env, child, with_tfvars
        self.prefix = "var.name" if child else "local.name"
        self.base_tags = "var.tags" if child else "local.common_tags"
        self.env_expr = "var.environment" if child else "var.env"
        self.is_prod = "local.is_prod"
        self.data_blocks, self.blocks, self.outputs = {}, [], []
        self.variables, self.defaults, self.locals, self.tfvars = {}, {}, {}, {}
        self.files = {}  # child module files: relative path -> text
        self.resources = 0
        self.network = False
        self.subnet_ids = self.first_subnet = self.subnet_each = None
        self.stateful = []  # ARNs an AWS Backup selection can list
        self.databases = []  # database addresses a Lambda function could connect to directly
        self.web = None  # the load balancer, for DNS failover

    def name(self, suffix: str):
        """A quoted resource name "<prefix>-<suffix>"; in a child module "this" is the prefix alone."""
        suffix = suffix.removeprefix("this").lstrip("-")
        return q("${" + self.prefix + "}" + (f"-{suffix}" if suffix else ""))

    def tags(self, suffix: str):
        return Call("merge", self.base_tags, {"Name": self.name(suffix)})

    def resource(self, rtype: str, name: str, body: list) -> None:
        self.resources += 1
        self.blocks.append(hcl_block("resource", [rtype, name], body))

    def data(self, dtype: str, name: str, body: list) -> str:
        self.data_blocks.setdefault((dtype, name), hcl_block("data", [dtype, name], body))
        return f"data.{dtype}.{name}"

    def zone(self, index) -> str:
        zones = self.data("aws_availability_zones", "available", [("state", q("available"))])
        return f"{zones}.names[{index}]"

    def input(self, name: str, vtype: str, description: str) -> str:
        """A variable without default that the caller must set."""
        self.variables.setdefault(name, [("description", q(description)), ("type", vtype)])
        return "var." + name

    def setting(self, name: str, vtype: str, value, description: str, required=None) -> str:
        """A variable holding value; a root module leaves some without default (set, or not, in tfvars)."""
        if name not in self.variables:
            if required is None:
                required = not self.child and chance(self.rng, 0.2)
            body = [("description", q(description)), ("type", vtype)]
            if required:
                if self.with_tfvars:
                    self.tfvars[name] = lit(value)
            else:
                body.append(("default", lit(value)))
                self.defaults[name] = value
            self.variables[name] = body
        return "var." + name

    def local(self, name: str, value) -> str:
        self.locals.setdefault(name, value)
        return "local." + name

    def sized(self, name: str, sizes: dict) -> str:
        """lookup() in a per-environment size table."""
        table = self.local(name, {env: q(size) for env, size in sizes.items() if env != "dev"})
        return f"lookup({table}, {self.env_expr}, {q(sizes['staging'])})"

    def output(self, name: str, value, description: str = "") -> None:
        body = ([("description", q(description))] if description else []) + [("value", value)]
        self.outputs.append(hcl_block("output", [name], body))

    def files_text(self, title: str, split_locals: bool) -> dict:
        """The module's files, path -> text."""
        main = [] if self.child else tf_settings_blocks(self.rng)
        locals_block = [hcl_block("locals", [], list(self.locals.items()))] if self.locals else []
        if not split_locals:
            main += locals_block
        main += list(self.data_blocks.values()) + self.blocks
        files = {
            "main.tf": hcl_file(title, main),
            "variables.tf": hcl_file("Inputs", [hcl_block("variable", [n], b) for n, b in self.variables.items()]),
            "outputs.tf": hcl_file("Outputs", self.outputs),
        }
        if split_locals and locals_block:
            files["locals.tf"] = hcl_file("Names, tags and per-environment sizes", locals_block)
        if self.tfvars:
            files["terraform.tfvars"] = tfvars_text(self.tfvars)
        files.update(self.files)
        return files


def tf_settings_blocks(rng: random.Random) -> list:
    provider = [("region", "var.region")]
    if chance(rng, 0.5):  # default_tags instead of per-resource tags only: both styles are common
        provider.append(("default_tags", Blk([("tags", "local.common_tags")])))
    version = {"source": q("hashicorp/aws"), "version": q(rng.choice(("~> 5.0", ">= 5.40", "~> 5.60")))}
    terraform = [("required_version", q(">= 1.5")), ("required_providers", Blk([("aws", version)]))]
    return [hcl_block("terraform", [], terraform), hcl_block("provider", ["aws"], provider)]


def tfvars_text(values: dict) -> str:
    width = max(map(len, values))
    return "".join(f"{k.ljust(width)} = {hcl(v)}\n" for k, v in values.items())


def tf_flag(m: TfModule, var: str, value: bool, description: str):
    """A boolean argument as a literal, a variable, or the environment test, whichever evaluates to value."""
    form = m.rng.choice(("literal", "variable", "variable", "env"))
    if form == "env" and (m.env is None or value == (m.env == "prod")):
        return m.is_prod
    if form == "literal":
        return value
    return m.setting(var, "bool", value, description)


def tf_scaffold(m: TfModule, service: str, env_required: bool) -> None:
    rng = m.rng
    m.setting("service", "string", service, "Service name, used in resource names and tags", required=False)
    m.setting("env", "string", m.env or rng.choice(("prod", "staging")), "Deployment environment",
              required=env_required)
    m.setting("region", "string", rng.choice(("us-east-1", "us-west-2", "eu-west-1")), "AWS Region",
              required=False)
    m.local("name", q("${var.service}-${var.env}"))
    m.local("is_prod", 'var.env == "prod"')
    m.local("common_tags", {"Service": "var.service", "Environment": "var.env", "ManagedBy": q("terraform"),
                            "Backup": q("daily")})


def tf_network(m: TfModule) -> None:
    """A VPC with private subnets in distinct zones (count or for_each); a child module takes subnet ids."""
    if m.network:
        return
    m.network = True
    if m.child:
        m.subnet_ids = m.input("subnet_ids", "list(string)", "Private subnets, one per Availability Zone")
        m.first_subnet = "var.subnet_ids[0]"
        m.subnet_each = ("count", "length(var.subnet_ids)", "var.subnet_ids[count.index]")
        return
    rng = m.rng
    cidr = m.setting("vpc_cidr", "string", f"10.{rng.randrange(256)}.0.0/16", "CIDR block of the VPC",
                     required=False)
    azs = m.setting("az_count", "number", rng.choice((2, 3)), "Availability Zones to spread subnets over",
                    required=False)
    m.resource("aws_vpc", "main", [("cidr_block", cidr), ("enable_dns_support", True),
                                   ("enable_dns_hostnames", True), ("tags", m.tags("vpc"))])
    common = [("vpc_id", "aws_vpc.main.id"), ("map_public_ip_on_launch", False)]
    if chance(rng, 0.5):
        m.resource("aws_subnet", "private", [
            ("count", azs), *common, ("cidr_block", f"cidrsubnet({cidr}, 8, count.index)"),
            ("availability_zone", m.zone("count.index")), ("tags", m.tags("private-${count.index}"))])
        m.subnet_ids, m.first_subnet = "aws_subnet.private[*].id", "aws_subnet.private[0].id"
        m.subnet_each = ("count", "length(aws_subnet.private)", "aws_subnet.private[count.index].id")
    else:
        zones = m.zone(0).removesuffix("[0]")
        m.local("private_subnets", f"{{ for i, az in slice({zones}, 0, {azs}) : az => cidrsubnet({cidr}, 8, i) }}")
        m.resource("aws_subnet", "private", [
            ("for_each", "local.private_subnets"), *common, ("cidr_block", "each.value"),
            ("availability_zone", "each.key"), ("tags", m.tags("private-${each.key}"))])
        m.subnet_ids = "[for s in aws_subnet.private : s.id]"
        m.first_subnet = "values(aws_subnet.private)[0].id"
        m.subnet_each = ("for_each", "aws_subnet.private", "each.value.id")
    m.output("vpc_id", "aws_vpc.main.id")
    m.output("private_subnet_ids", m.subnet_ids, "One private subnet per Availability Zone")


def tf_rds(m: TfModule, name: str, bad: bool) -> None:
    rng = m.rng
    tf_network(m)
    fault = rng.choice(("single_az", "single_az", "pinned_az", "replica_single_az")) if bad else None
    engine, version = rng.choice(DB_ENGINES)
    m.resource("aws_db_subnet_group", name, [("name", m.name(name)), ("subnet_ids", m.subnet_ids),
                                             ("tags", m.tags(name))])
    body = [("identifier", m.name(name)), ("engine", q(engine)), ("engine_version", q(version)),
            ("instance_class", m.sized("db_instance_classes", DB_CLASSES)),
            ("allocated_storage", rng.choice((20, 50, 100, 200))), ("max_allocated_storage", 500),
            ("storage_type", q("gp3")), ("storage_encrypted", True),
            ("db_subnet_group_name", f"aws_db_subnet_group.{name}.name"),
            ("username", q("app_admin")), ("manage_master_user_password", True)]
    multi_az = tf_flag(m, scoped(name, "multi_az"), fault != "single_az", "Run the database in two zones")
    if fault != "single_az" or chance(rng, 0.5):  # a single-AZ database often just leaves multi_az out
        body.append(("multi_az", multi_az))
    if fault == "pinned_az":
        body.append(("availability_zone", m.zone(0)))
    body += [("backup_retention_period", rng.choice((7, 14, 35))), ("backup_window", q("03:00-04:00")),
             ("deletion_protection", m.is_prod), ("skip_final_snapshot", False),
             ("final_snapshot_identifier", m.name(f"{name}-final")), ("copy_tags_to_snapshot", True),
             ("tags", m.tags(name))]
    if chance(rng, 0.3):
        body.append(("lifecycle", Blk([("prevent_destroy", True)])))
    m.resource("aws_db_instance", name, body)
    if fault == "replica_single_az" or chance(rng, 0.2):
        replica = [("identifier", m.name(f"{name}-replica")),
                   ("replicate_source_db", f"aws_db_instance.{name}.identifier"),
                   ("instance_class", f"aws_db_instance.{name}.instance_class"), ("skip_final_snapshot", True)]
        if fault != "replica_single_az":
            replica.append(("multi_az", True))
        m.resource("aws_db_instance", f"{name}_replica", replica + [("tags", m.tags(f"{name}-replica"))])
    m.stateful.append(f"aws_db_instance.{name}.arn")
    m.databases.append(f"aws_db_instance.{name}.address")
    m.output(scoped(name, "endpoint"), f"aws_db_instance.{name}.endpoint", "Connection endpoint")


def tf_aurora(m: TfModule, name: str, bad: bool) -> None:
    rng = m.rng
    tf_network(m)
    fault = rng.choice(("one_instance", "same_az")) if bad else None
    engine, version = rng.choice(AURORA_ENGINES)
    m.resource("aws_db_subnet_group", name, [("name", m.name(name)), ("subnet_ids", m.subnet_ids)])
    retention = m.setting(scoped(name, "backup_retention"), "number", rng.choice((7, 14, 35)),
                          "Days of automated backups")
    m.resource("aws_rds_cluster", name, [
        ("cluster_identifier", m.name(name)), ("engine", q(engine)), ("engine_version", q(version)),
        ("database_name", q("app" if name == "this" else name)), ("master_username", q("app_admin")),
        ("manage_master_user_password", True), ("db_subnet_group_name", f"aws_db_subnet_group.{name}.name"),
        ("backup_retention_period", retention), ("preferred_backup_window", q("02:00-03:00")),
        ("storage_encrypted", True), ("deletion_protection", m.is_prod), ("skip_final_snapshot", False),
        ("final_snapshot_identifier", m.name(f"{name}-final")), ("copy_tags_to_snapshot", True),
        ("tags", m.tags(name))])
    if fault == "one_instance":
        count = rng.choice((1, m.setting(scoped(name, "instance_count"), "number", 1, "Cluster instances")))
    elif m.env == "prod" and chance(rng, 0.3):
        count = f"{m.is_prod} ? 3 : 1"
    else:
        count = rng.choice((2, 3, m.setting(scoped(name, "instance_count"), "number", rng.choice((2, 3)),
                                            "Cluster instances")))
    body = [("count", count), ("identifier", m.name(f"{name}-${{count.index}}")),
            ("cluster_identifier", f"aws_rds_cluster.{name}.id"),
            ("instance_class", m.sized("db_instance_classes", DB_CLASSES)),
            ("engine", f"aws_rds_cluster.{name}.engine"), ("engine_version", f"aws_rds_cluster.{name}.engine_version"),
            ("db_subnet_group_name", f"aws_db_subnet_group.{name}.name"), ("performance_insights_enabled", True)]
    if fault == "same_az":
        body.append(("availability_zone", m.zone(0)))
    m.resource("aws_rds_cluster_instance", name, body + [("tags", m.tags(name))])
    m.stateful.append(f"aws_rds_cluster.{name}.arn")
    m.databases.append(f"aws_rds_cluster.{name}.endpoint")
    m.output(scoped(name, "writer_endpoint"), f"aws_rds_cluster.{name}.endpoint")
    m.output(scoped(name, "reader_endpoint"), f"aws_rds_cluster.{name}.reader_endpoint")


def tf_cache(m: TfModule, name: str, bad: bool) -> None:
    rng = m.rng
    tf_network(m)
    fault = rng.choice(("one_node", "no_failover")) if bad else None
    engine, version, params = rng.choice(CACHE_ENGINES)
    m.resource("aws_elasticache_subnet_group", name, [("name", m.name(name)), ("subnet_ids", m.subnet_ids)])
    body = [("replication_group_id", m.name(name)), ("description", q(f"{name} cache")), ("engine", q(engine)),
            ("engine_version", q(version)), ("node_type", m.sized("cache_node_types", CACHE_NODES)),
            ("port", 6379), ("subnet_group_name", f"aws_elasticache_subnet_group.{name}.name")]
    if fault is None and chance(rng, 0.3):  # cluster mode: shards with a replica each
        body += [("parameter_group_name", q(params + ".cluster.on")), ("num_node_groups", rng.choice((2, 3))),
                 ("replicas_per_node_group", 1), ("automatic_failover_enabled", True), ("multi_az_enabled", True)]
    elif fault is None:
        nodes = rng.choice((2, 3, f"{m.is_prod} ? 3 : 2"))
        body += [("parameter_group_name", q(params)), ("num_cache_clusters", nodes),
                 ("automatic_failover_enabled", True),
                 ("multi_az_enabled", tf_flag(m, scoped(name, "multi_az"), True, "Spread cache nodes over zones"))]
    else:
        nodes = 1 if fault == "one_node" else 2
        body += [("parameter_group_name", q(params)), ("num_cache_clusters", nodes)]
        if chance(rng, 0.5):
            body += [("automatic_failover_enabled", False), ("multi_az_enabled", False)]
    body += [("at_rest_encryption_enabled", True), ("transit_encryption_enabled", True),
             ("snapshot_retention_limit", rng.choice((1, 5, 7))), ("snapshot_window", q("04:00-05:00")),
             ("tags", m.tags(name))]
    m.resource("aws_elasticache_replication_group", name, body)
    m.output(scoped(name, "primary_endpoint"), f"aws_elasticache_replication_group.{name}.primary_endpoint_address")


def tf_web(m: TfModule, name: str, bad: bool) -> None:
    """Security group, ALB, target group, listener, launch template and the Auto Scaling group."""
    rng = m.rng
    tf_network(m)
    fault = rng.choice(("ec2_health", "one_subnet", "lb_one_subnet")) if bad else None
    m.resource("aws_security_group", name, [
        ("name", m.name(name)), ("description", q(f"{name} web tier")), ("vpc_id", "aws_vpc.main.id"),
        ("ingress", Blk([("from_port", 443), ("to_port", 443), ("protocol", q("tcp")),
                         ("cidr_blocks", ["var.vpc_cidr"])])),
        ("egress", Blk([("from_port", 0), ("to_port", 0), ("protocol", q("-1")),
                        ("cidr_blocks", [q("0.0.0.0/0")])])),
        ("tags", m.tags(name))])
    m.resource("aws_lb", name, [
        ("name", m.name(name)), ("internal", rng.choice((True, False))), ("load_balancer_type", q("application")),
        ("security_groups", [f"aws_security_group.{name}.id"]),
        ("subnets", [m.first_subnet] if fault == "lb_one_subnet" else m.subnet_ids),
        ("enable_deletion_protection", m.is_prod), ("tags", m.tags(name))])
    health = [("enabled", True), ("path", q(rng.choice(("/healthz", "/health", "/status")))), ("matcher", q("200")),
              ("interval", 15), ("healthy_threshold", 3), ("unhealthy_threshold", 2)]
    m.resource("aws_lb_target_group", name, [
        ("name", m.name(name)), ("port", 8080), ("protocol", q("HTTP")), ("vpc_id", "aws_vpc.main.id"),
        ("deregistration_delay", 30), ("health_check", Blk(health)), ("tags", m.tags(name))])
    forward = Blk([("type", q("forward")), ("target_group_arn", f"aws_lb_target_group.{name}.arn")])
    if chance(rng, 0.5):
        arn = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/{rng.getrandbits(64):016x}"
        cert = m.setting("certificate_arn", "string", arn, "TLS certificate for the listener")
        listener = [("port", 443), ("protocol", q("HTTPS")), ("ssl_policy", q("ELBSecurityPolicy-TLS13-1-2-2021-06")),
                    ("certificate_arn", cert)]
    else:
        listener = [("port", 80), ("protocol", q("HTTP"))]
    m.resource("aws_lb_listener", name, [("load_balancer_arn", f"aws_lb.{name}.arn"), *listener,
                                         ("default_action", forward)])
    user_data = Heredoc(f"#!/bin/bash\nset -euo pipefail\necho \"${{{m.prefix}}}\" > /etc/service-name\n"
                        f"systemctl enable --now {name}.service\n")
    ami = m.setting("ami_id", "string", f"ami-{rng.getrandbits(64):017x}"[:21], "Image for the web instances")
    m.resource("aws_launch_template", name, [
        ("name_prefix", m.name(f"{name}-")), ("image_id", ami),
        ("instance_type", m.sized("instance_types", INSTANCE_TYPES)),
        ("vpc_security_group_ids", [f"aws_security_group.{name}.id"]),
        ("user_data", Call("base64encode", user_data)),
        ("metadata_options", Blk([("http_tokens", q("required"))]))])
    asg = [("name", m.name(name)), ("min_size", rng.choice((2, f"{m.is_prod} ? 3 : 2"))),
           ("max_size", rng.choice((6, 10, 12))),
           ("vpc_zone_identifier", [m.first_subnet] if fault == "one_subnet" else m.subnet_ids),
           ("target_group_arns", [f"aws_lb_target_group.{name}.arn"])]
    if fault != "ec2_health":
        asg.append(("health_check_type", q("ELB")))
    elif chance(rng, 0.5):
        asg.append(("health_check_type", q("EC2")))
    asg += [("health_check_grace_period", 300),
            ("launch_template", Blk([("id", f"aws_launch_template.{name}.id"), ("version", q("$Latest"))]))]
    if chance(rng, 0.5):
        asg.append(("instance_refresh", Blk([("strategy", q("Rolling")),
                                             ("preferences", Blk([("min_healthy_percentage", 90)]))])))
    tag = Blk([("key", "tag.key"), ("value", "tag.value"), ("propagate_at_launch", True)])
    asg.append(("dynamic", Blk([("for_each", m.base_tags), ("content", tag)], "tag")))
    m.resource("aws_autoscaling_group", name, asg)
    m.web = name
    m.output(scoped(name, "dns_name"), f"aws_lb.{name}.dns_name", "Load balancer address")


def tf_dns(m: TfModule, name: str, bad: bool) -> None:
    """A health-checked PRIMARY record and a SECONDARY one, as two resources or one for_each over a map."""
    rng = m.rng
    zone = m.setting("hosted_zone_id", "string", "Z" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                                                                for _ in range(13)), "Hosted zone of the records")
    domain = m.setting("domain_name", "string", "example.com", "Domain the service records live in")
    if m.web:
        primary = f"aws_lb.{m.web}.dns_name"
    else:
        primary = m.setting(scoped(name, "primary_endpoint"), "string", f"{name}-primary.example.net",
                            "Primary endpoint")
    secondary = m.setting(scoped(name, "secondary_endpoint"), "string", f"{name}-dr.example.net",
                          "Standby endpoint in the recovery Region")
    m.resource("aws_route53_health_check", name, [
        ("fqdn", primary), ("port", 443), ("type", q("HTTPS")), ("resource_path", q("/healthz")),
        ("failure_threshold", 3), ("request_interval", 30), ("tags", m.tags(f"{name}-primary"))])
    check = f"aws_route53_health_check.{name}.id"
    record = q(f"{name}.${{{domain}}}")
    if not bad and chance(rng, 0.5):
        targets = m.local(f"{name}_failover", {"primary": {"endpoint": primary, "health_check": check},
                                               "secondary": {"endpoint": secondary, "health_check": "null"}})
        m.resource("aws_route53_record", name, [
            ("for_each", targets), ("zone_id", zone), ("name", record), ("type", q("CNAME")), ("ttl", 60),
            ("records", ["each.value.endpoint"]), ("set_identifier", "each.key"),
            ("health_check_id", "each.value.health_check"),
            ("failover_routing_policy", Blk([("type", "upper(each.key)")]))])
        return
    for role, endpoint in (("primary", primary), ("secondary", secondary)):
        body = [("zone_id", zone), ("name", record), ("type", q("CNAME")), ("ttl", 60), ("records", [endpoint]),
                ("set_identifier", q(role))]
        if role == "primary" and not bad:
            body.append(("health_check_id", check))
        body.append(("failover_routing_policy", Blk([("type", q(role.upper()))])))
        m.resource("aws_route53_record", f"{name}_{role}", body)


def tf_backup(m: TfModule, name: str, bad: bool) -> None:
    """Vault, plan (daily rule, sometimes a copy to another Region), IAM role and a selection."""
    rng = m.rng
    fault = rng.choice(("short_retention", "tag_mismatch")) if bad else None
    m.resource("aws_backup_vault", name, [("name", m.name(name)), ("tags", m.tags(name))])
    days = rng.choice(SHORT_RETENTION) if fault == "short_retention" else rng.choice(LONG_RETENTION)
    keep = rng.choice((days, m.setting("backup_retention_days", "number", days, "Days each recovery point is kept")))
    rule = [("rule_name", q("daily")), ("target_vault_name", f"aws_backup_vault.{name}.name"),
            ("schedule", q(BACKUP_CRON)), ("start_window", 60), ("completion_window", 180),
            ("lifecycle", Blk([("delete_after", keep)]))]
    if chance(rng, 0.6):
        vault = m.setting("dr_vault_arn", "string", f"arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:dr",
                          "Vault in the recovery Region")
        copy = [("destination_vault_arn", vault), ("lifecycle", Blk([("delete_after", keep)]))]
        rule.append(("copy_action", Blk(copy)))
    m.resource("aws_backup_plan", name, [("name", m.name(name)), ("rule", Blk(rule)), ("tags", m.tags(name))])
    role = f"{name}_backup"
    assume = {"Version": q("2012-10-17"), "Statement": [{"Effect": q("Allow"), "Action": q("sts:AssumeRole"),
                                                        "Principal": {"Service": q("backup.amazonaws.com")}}]}
    m.resource("aws_iam_role", role, [("name", m.name(f"{name}-backup")),
                                      ("assume_role_policy", Call("jsonencode", assume))])
    m.resource("aws_iam_role_policy_attachment", role, [
        ("role", f"aws_iam_role.{role}.name"),
        ("policy_arn", q("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"))])
    body = [("name", m.name(name)), ("iam_role_arn", f"aws_iam_role.{role}.arn"),
            ("plan_id", f"aws_backup_plan.{name}.id")]
    if fault is None and m.stateful and chance(rng, 0.4):
        body.append(("resources", list(m.stateful)))
    else:  # resources carry Backup = "daily" through the common tags
        value = "hourly" if fault == "tag_mismatch" else "daily"
        body.append(("selection_tag", Blk([("type", q("STRINGEQUALS")), ("key", q("Backup")), ("value", q(value))])))
    body.append(("depends_on", [f"aws_iam_role_policy_attachment.{role}"]))
    m.resource("aws_backup_selection", name, body)
    m.output(scoped(name, "backup_plan_id"), f"aws_backup_plan.{name}.id")


def tf_queues(m: TfModule, name: str, bad: bool) -> None:
    """Queues with dead-letter queues: one pair, or a for_each over a map of queue settings."""
    rng = m.rng
    fault = rng.choice(("no_dlq", "short_dlq_retention", "fifo_mismatch")) if bad else None
    fifo = chance(rng, 0.25) or fault == "fifo_mismatch"
    dlq_fifo = fifo != (fault == "fifo_mismatch")
    dlq_retention = rng.choice((86400, 345600)) if fault == "short_dlq_retention" else 1209600
    if chance(rng, 0.6):
        keys = sorted(rng.sample(QUEUE_KEYS, rng.randint(2, 4)))
        table = m.local(scoped(name, "queues"), {k: {"visibility_timeout": rng.choice((30, 60, 120, 300)),
                                                     "max_receive_count": rng.choice((3, 5, 10))} for k in keys})
        each, key, dlq_ref = [("for_each", table)], "-${each.key}", f"aws_sqs_queue.{name}_dlq[each.key].arn"
        visibility, receives = "each.value.visibility_timeout", "each.value.max_receive_count"
    else:
        each, key, dlq_ref = [], "", f"aws_sqs_queue.{name}_dlq.arn"
        visibility, receives = rng.choice((30, 60, 120)), 5
    if fault != "no_dlq":
        m.resource("aws_sqs_queue", f"{name}_dlq", each + [
            ("name", m.name(f"{name}{key}-dlq" + (".fifo" if dlq_fifo else ""))),
            *([("fifo_queue", True)] if dlq_fifo else []), ("message_retention_seconds", dlq_retention),
            ("sqs_managed_sse_enabled", True), ("tags", m.tags(f"{name}-dlq"))])
    redrive = Call("jsonencode", {"deadLetterTargetArn": dlq_ref, "maxReceiveCount": receives})
    separate = fault != "no_dlq" and not each and chance(rng, 0.4)  # the redrive as its own resource
    body = each + [("name", m.name(f"{name}{key}" + (".fifo" if fifo else "")))]
    if fifo:
        body += [("fifo_queue", True), ("content_based_deduplication", True)]
    body += [("visibility_timeout_seconds", visibility), ("message_retention_seconds", 345600),
             ("sqs_managed_sse_enabled", True)]
    if fault != "no_dlq" and not separate:
        body.append(("redrive_policy", redrive))
    m.resource("aws_sqs_queue", name, body + [("tags", m.tags(name))])
    if separate:
        m.resource("aws_sqs_queue_redrive_policy", name, [("queue_url", f"aws_sqs_queue.{name}.id"),
                                                          ("redrive_policy", redrive)])
    arns = f"{{ for k, queue in aws_sqs_queue.{name} : k => queue.arn }}" if each else f"aws_sqs_queue.{name}.arn"
    m.output(scoped(name, "queue_arns" if each else "queue_arn"), arns)


def tf_dynamodb(m: TfModule, name: str, bad: bool) -> None:
    rng = m.rng
    body = [("name", m.name(name))]
    if chance(rng, 0.7):
        body.append(("billing_mode", q("PAY_PER_REQUEST")))
    else:
        body += [("billing_mode", q("PROVISIONED")), ("read_capacity", rng.choice((5, 20, 100))),
                 ("write_capacity", rng.choice((5, 20, 50)))]
    body += [("hash_key", q("pk")), ("range_key", q("sk")),
             ("attribute", Blk([("name", q("pk")), ("type", q("S"))])),
             ("attribute", Blk([("name", q("sk")), ("type", q("S"))])),
             ("point_in_time_recovery", Blk([("enabled", not bad)])),
             ("server_side_encryption", Blk([("enabled", True)])), ("deletion_protection_enabled", m.is_prod)]
    if chance(rng, 0.4):
        body.append(("ttl", Blk([("attribute_name", q("expires_at")), ("enabled", True)])))
    if chance(rng, 0.3):  # a global table: replicas need the stream
        regions = m.setting(scoped(name, "replica_regions"), "list(string)", ["us-west-2"], "Replica Regions")
        body += [("stream_enabled", True), ("stream_view_type", q("NEW_AND_OLD_IMAGES")),
                 ("dynamic", Blk([("for_each", regions), ("content", Blk([("region_name", "replica.value")]))],
                                 "replica"))]
    m.resource("aws_dynamodb_table", name, body + [("tags", m.tags(name))])
    m.stateful.append(f"aws_dynamodb_table.{name}.arn")
    m.output(scoped(name, "table_name"), f"aws_dynamodb_table.{name}.name")


def tf_efs(m: TfModule, name: str, bad: bool) -> None:
    """A file system with mount targets in every private subnet; the failing variant is One Zone."""
    rng = m.rng
    tf_network(m)
    body = [("creation_token", m.name(name)), ("encrypted", True), ("performance_mode", q("generalPurpose")),
            ("throughput_mode", q(rng.choice(("elastic", "bursting")))),
            ("lifecycle_policy", Blk([("transition_to_ia", q("AFTER_30_DAYS"))]))]
    if bad:
        body.append(("availability_zone_name", m.zone(0)))
    m.resource("aws_efs_file_system", name, body + [("tags", m.tags(name))])
    mode, over, subnet = m.subnet_each
    targets = [("count", 1), ("subnet_id", m.first_subnet)] if bad else [(mode, over), ("subnet_id", subnet)]
    m.resource("aws_efs_mount_target", name, targets + [("file_system_id", f"aws_efs_file_system.{name}.id")])
    if chance(rng, 0.5):
        m.resource("aws_efs_backup_policy", name, [("file_system_id", f"aws_efs_file_system.{name}.id"),
                                                   ("backup_policy", Blk([("status", q("ENABLED"))]))])
    m.stateful.append(f"aws_efs_file_system.{name}.arn")
    m.output(scoped(name, "file_system_id"), f"aws_efs_file_system.{name}.id")


def tf_lambda(m: TfModule, name: str, bad: bool) -> None:
    """A function fed by its own queue (with a DLQ), its role and log group."""
    rng = m.rng
    faults = ("short_visibility", "no_dlq") + (("db_direct",) if m.databases else ())
    fault = rng.choice(faults) if bad else None
    runtime, handler = rng.choice(RUNTIMES)
    timeout = rng.choice((60, 120, 300)) if fault == "short_visibility" else rng.choice((10, 30, 60))
    role = f"{name}_lambda"
    assume = {"Version": q("2012-10-17"), "Statement": [{"Effect": q("Allow"), "Action": q("sts:AssumeRole"),
                                                        "Principal": {"Service": q("lambda.amazonaws.com")}}]}
    m.resource("aws_iam_role", role, [("name", m.name(f"{name}-lambda")),
                                      ("assume_role_policy", Call("jsonencode", assume))])
    m.resource("aws_iam_role_policy_attachment", role, [
        ("role", f"aws_iam_role.{role}.name"),
        ("policy_arn", q("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"))])
    queue = f"{name}_events"
    if fault != "no_dlq":
        m.resource("aws_sqs_queue", f"{queue}_dlq", [("name", m.name(f"{name}-events-dlq")),
                                                     ("message_retention_seconds", 1209600)])
    body = [("name", m.name(f"{name}-events"))]
    if fault != "short_visibility" or chance(rng, 0.5):  # the default is 30 s
        body.append(("visibility_timeout_seconds", 30 if fault == "short_visibility" else 6 * timeout))
    if fault != "no_dlq":
        body.append(("redrive_policy", Call("jsonencode", {"deadLetterTargetArn": f"aws_sqs_queue.{queue}_dlq.arn",
                                                           "maxReceiveCount": 5})))
    m.resource("aws_sqs_queue", queue, body)
    m.resource("aws_cloudwatch_log_group", name, [("name", q(f"/aws/lambda/${{{m.prefix}}}-{name}")),
                                                  ("retention_in_days", rng.choice((14, 30, 90)))])
    env = {"QUEUE_URL": f"aws_sqs_queue.{queue}.url", "LOG_LEVEL": f'{m.is_prod} ? "INFO" : "DEBUG"'}
    if fault == "db_direct":
        env["DB_HOST"] = m.databases[0]
    m.resource("aws_lambda_function", name, [
        ("function_name", m.name(name)), ("role", f"aws_iam_role.{role}.arn"), ("runtime", q(runtime)),
        ("handler", q(handler)), ("filename", q(f"${{path.module}}/build/{name}.zip")), ("timeout", timeout),
        ("memory_size", rng.choice((128, 256, 512, 1024))), ("environment", Blk([("variables", env)])),
        ("tracing_config", Blk([("mode", q("Active"))])), ("tags", m.tags(name)),
        ("depends_on", [f"aws_cloudwatch_log_group.{name}"])])
    m.resource("aws_lambda_event_source_mapping", name, [
        ("event_source_arn", f"aws_sqs_queue.{queue}.arn"), ("function_name", f"aws_lambda_function.{name}.arn"),
        ("batch_size", 10), ("maximum_batching_window_in_seconds", 5),
        ("function_response_types", [q("ReportBatchItemFailures")])])
    m.output(scoped(name, "function_arn"), f"aws_lambda_function.{name}.arn")


CHILD_KINDS = (("queue", tf_queues), ("cache", tf_cache), ("database", tf_rds), ("cluster", tf_aurora),
               ("table", tf_dynamodb), ("storage", tf_efs))


def tf_child(m: TfModule, name: str, bad: bool) -> None:
    """A local child module built from one component, called with its required inputs and some settings."""
    rng = m.rng
    kind, build = rng.choice(CHILD_KINDS)
    child = TfModule(rng, m.env, child=True)
    child.input("name", "string", "Prefix of resource names")
    child.input("environment", "string", "Deployment environment")
    child.input("tags", "map(string)", "Tags for every resource")
    child.local("is_prod", 'var.environment == "prod"')
    build(child, "this", bad)
    files = child.files_text(f"The {kind} building block, shared by the service modules", split_locals=False)
    m.files.update({f"modules/{kind}/{path}": text for path, text in files.items()})
    m.resources += child.resources
    body = [("source", q(f"./modules/{kind}")), ("name", m.name(name)), ("environment", "var.env"),
            ("tags", m.base_tags)]
    if child.network:
        tf_network(m)
        body.append(("subnet_ids", m.subnet_ids))
    # passing a setting with its default's value keeps the component's verdict
    body += [(var, lit(value)) for var, value in child.defaults.items() if chance(rng, 0.6)]
    m.blocks.append(hcl_block("module", [name], body))
    for output in re.findall(r'^output "(\w+)"', files["outputs.tf"], re.M):
        m.output(f"{name}_{output}", f"module.{name}.{output}")


# builder, estimated resource blocks, needs the network, at most per module
TF_COMPONENTS = {
    "rds": (tf_rds, 3, True, 2), "aurora": (tf_aurora, 3, True, 2), "cache": (tf_cache, 2, True, 2),
    "dynamodb": (tf_dynamodb, 1, False, 3), "efs": (tf_efs, 3, True, 1), "queues": (tf_queues, 2, False, 3),
    "web": (tf_web, 6, True, 2), "lambda": (tf_lambda, 6, False, 2), "dns": (tf_dns, 3, False, 1),
    "child": (tf_child, 2, False, 1), "backup": (tf_backup, 5, False, 1),
}
TF_NETWORK_COST = 2


def plan(rng: random.Random, catalogue: dict, network_cost: int, with_child: bool) -> list:
    """Component kinds for one item, drawn until the size target is reached, in build order (databases
    before the backup that selects them, the web tier before the DNS records that point at it)."""
    low, high = SIZES[rng.choices(range(len(SIZES)), SIZE_WEIGHTS)[0]]
    target = rng.randint(low, high)
    chosen, size = (["child"], 2) if with_child else ([], 0)
    network = False
    while size < target:
        fits = [kind for kind, (_, cost, needs_net, limit) in catalogue.items()
                if kind != "child" and chosen.count(kind) < limit
                and size + cost + (network_cost if needs_net and not network else 0) <= target + 1]
        if not fits:
            break
        kind = rng.choice(fits)
        _, cost, needs_net, _ = catalogue[kind]
        size += cost + (network_cost if needs_net and not network else 0)
        network = network or needs_net
        chosen.append(kind)
    order = list(catalogue)
    return sorted(chosen, key=order.index)


def assemble(rng: random.Random, catalogue: dict, kinds: list, target, names) -> int:
    """Builds the planned components into target; returns how many took a failing variant."""
    faulty = set()
    if kinds and chance(rng, 1 / 3):
        faulty = set(rng.sample(range(len(kinds)), min(len(kinds), rng.choice((1, 1, 2)))))
    for i, kind in enumerate(kinds):
        catalogue[kind][0](target, names[i], i in faulty)
    return len(faulty)


def terraform_module(seed: str, index: int) -> tuple:
    """(directory name, files, resource blocks, misconfigured) of the index-th module."""
    rng = random.Random(f"{seed}/terraform/{index}")
    service = rng.choice(SERVICES)
    env = rng.choice(("prod", "prod", "staging"))
    env_required, with_tfvars = chance(rng, 0.15), chance(rng, 0.4)
    m = TfModule(rng, None if env_required and not with_tfvars else env, with_tfvars=with_tfvars)
    tf_scaffold(m, service, env_required)
    kinds = plan(rng, TF_COMPONENTS, TF_NETWORK_COST, with_child=chance(rng, 0.2))
    faults = assemble(rng, TF_COMPONENTS, kinds, m, rng.sample(PARTS, len(kinds)))
    title = f"{service} ({env}): {', '.join(dict.fromkeys(kinds))}. Generated by benchmarks/generate.py."
    files = m.files_text(title, split_locals=chance(rng, 0.5))
    return f"m{index:04d}-{service}", files, m.resources, faults > 0


# ------------------------------------------------------------------------------- CloudFormation templates

SHORT_TAGS = {"Ref": "!Ref", "Condition": "!Condition", "Fn::GetAtt": "!GetAtt", "Fn::Sub": "!Sub",
              "Fn::If": "!If", "Fn::FindInMap": "!FindInMap", "Fn::Equals": "!Equals", "Fn::Not": "!Not",
              "Fn::And": "!And", "Fn::Or": "!Or", "Fn::Select": "!Select", "Fn::GetAZs": "!GetAZs",
              "Fn::Base64": "!Base64", "Fn::Join": "!Join", "Fn::Cidr": "!Cidr", "Fn::ImportValue": "!ImportValue"}


def Ref(name):
    return {"Ref": name}


def GetAtt(resource, attribute):
    return {"Fn::GetAtt": [resource, attribute]}


def Sub(text):
    return {"Fn::Sub": text}


def If(condition, yes, no):
    return {"Fn::If": [condition, yes, no]}


def FindInMap(mapping, key, name):
    return {"Fn::FindInMap": [mapping, key, name]}


def Select(index, values):
    return {"Fn::Select": [index, values]}


AZS = {"Fn::GetAZs": ""}


class CfnTemplate:
    """One CloudFormation template being assembled, section by section."""

    def __init__(self, rng: random.Random, service: str, env):
        self.rng, self.service, self.env = rng, service, env
        self.parameters, self.conditions, self.mappings, self.resources, self.outputs = {}, {}, {}, {}, {}
        self.vpc = self.subnets = self.first_subnet = None
        self.stateful = []  # ARNs an AWS Backup selection can list
        self.web = None  # the load balancer, for DNS failover

    def param(self, name: str, ptype: str, default=NO_DEFAULT, description: str = "", **extra):
        if name not in self.parameters:
            spec = {"Type": ptype, **({"Description": description} if description else {}), **extra}
            if default is not NO_DEFAULT:
                spec["Default"] = default
            self.parameters[name] = spec
        return Ref(name)

    def setting(self, name: str, ptype: str, value, description: str, **extra):
        """A parameter holding value; some are left without default, unknown to a scanner."""
        return self.param(name, ptype, NO_DEFAULT if chance(self.rng, 0.15) else value, description, **extra)

    def by_env(self, key: str, values: dict):
        """Fn::FindInMap in the per-environment settings mapping."""
        for env, value in values.items():
            self.mappings.setdefault("EnvSettings", {}).setdefault(env, {}).setdefault(key, value)
        return FindInMap("EnvSettings", Ref("Environment"), key)

    def resource(self, lid: str, rtype: str, props: dict, **attrs) -> str:
        self.resources[lid] = {"Type": rtype, **attrs, "Properties": props}
        return lid

    def output(self, name: str, value, export: bool = False) -> None:
        out = {"Value": value}
        if export:
            out["Export"] = {"Name": Sub(f"${{AWS::StackName}}-{name}")}
        self.outputs[name] = out

    def tags(self, name: str) -> list:
        return [{"Key": "Name", "Value": Sub(f"${{AWS::StackName}}-{name}")},
                {"Key": "Service", "Value": Ref("ServiceName")}, {"Key": "Backup", "Value": "daily"}]

    def document(self, description: str) -> dict:
        doc = {"AWSTemplateFormatVersion": "2010-09-09", "Description": description}
        for section, value in (("Parameters", self.parameters), ("Conditions", self.conditions),
                               ("Mappings", self.mappings), ("Resources", self.resources),
                               ("Outputs", self.outputs)):
            if value:
                doc[section] = value
        return doc


def cfn_flag(t: CfnTemplate, param: str, key: str, value: bool, description: str):
    """A boolean property as a literal, a parameter, Fn::If on IsProd or a mapping lookup, evaluating to value."""
    form = t.rng.choice(("literal", "parameter", "if", "map"))
    matches_env = t.env is None or value == (t.env == "prod")
    if form == "if" and matches_env:
        return If("IsProd", True, False)
    if form == "map" and matches_env:
        return t.by_env(key, MULTI_AZ_BY_ENV)
    if form == "parameter":
        return t.setting(param, "String", "true" if value else "false", description, AllowedValues=["true", "false"])
    return value


def cfn_scaffold(t: CfnTemplate, env_required: bool) -> None:
    t.param("ServiceName", "String", t.service, "Service name, used in resource names and tags")
    t.param("Environment", "String", NO_DEFAULT if env_required else t.env, "Deployment environment",
            AllowedValues=["prod", "staging", "dev"])
    t.conditions["IsProd"] = {"Fn::Equals": [Ref("Environment"), "prod"]}


def cfn_network(t: CfnTemplate) -> None:
    """Subnet parameters, or a VPC with one subnet per zone (Fn::Select over Fn::GetAZs and Fn::Cidr)."""
    if t.subnets is not None:
        return
    rng = t.rng
    if chance(rng, 0.5):
        t.vpc = t.param("VpcId", "AWS::EC2::VPC::Id", description="VPC of the service")
        t.subnets = t.param("PrivateSubnetIds", "List<AWS::EC2::Subnet::Id>",
                            description="Private subnets, one per Availability Zone")
        t.first_subnet = [Select(0, Ref("PrivateSubnetIds"))]
        return
    cidr = t.param("VpcCidr", "String", f"10.{rng.randrange(256)}.0.0/16", "CIDR block of the VPC")
    t.vpc = Ref(t.resource("Vpc", "AWS::EC2::VPC", {"CidrBlock": cidr, "EnableDnsSupport": True,
                                                     "EnableDnsHostnames": True, "Tags": t.tags("vpc")}))
    blocks = {"Fn::Cidr": [GetAtt("Vpc", "CidrBlock"), 6, 8]}
    t.subnets = []
    for i in range(rng.choice((2, 3))):
        lid = t.resource(f"PrivateSubnet{'ABC'[i]}", "AWS::EC2::Subnet", {
            "VpcId": t.vpc, "AvailabilityZone": Select(i, AZS), "CidrBlock": Select(i, blocks),
            "MapPublicIpOnLaunch": False, "Tags": t.tags(f"private-{'abc'[i]}")})
        t.subnets.append(Ref(lid))
    t.first_subnet = t.subnets[:1]
    t.output("PrivateSubnets", {"Fn::Join": [",", t.subnets]}, export=True)


RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}  # queues count as stateful too


def deletion_policy(t: CfnTemplate, policy: str, bad: bool) -> dict:
    """DeletionPolicy and UpdateReplacePolicy of a stateful resource; the failing variant drops or deletes."""
    if bad:
        return t.rng.choice(({}, {"DeletionPolicy": "Delete"}))
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def cfn_rds(t: CfnTemplate, name: str, bad: bool) -> None:
    rng = t.rng
    cfn_network(t)
    fault = rng.choice(("single_az", "single_az", "pinned_az", "no_deletion_policy", "no_backups")) if bad else None
    p = pascal(name)
    engine, version = rng.choice(DB_ENGINES)
    group = t.resource(f"{p}DbSubnetGroup", "AWS::RDS::DBSubnetGroup", {
        "DBSubnetGroupDescription": f"{name} database subnets", "SubnetIds": t.subnets})
    props = {"Engine": engine, "EngineVersion": version, "DBInstanceClass": t.by_env("DBInstanceClass", DB_CLASSES),
             "AllocatedStorage": str(rng.choice((20, 50, 100, 200))), "StorageType": "gp3", "StorageEncrypted": True}
    multi_az = cfn_flag(t, f"{p}MultiAZ", "MultiAZ", fault != "single_az", "Run the database in two zones")
    if fault != "single_az" or chance(rng, 0.5):
        props["MultiAZ"] = multi_az
    if fault == "pinned_az":
        props["AvailabilityZone"] = Select(0, AZS)
    props.update({"DBSubnetGroupName": Ref(group), "MasterUsername": "app_admin", "ManageMasterUserPassword": True,
                  "BackupRetentionPeriod": 0 if fault == "no_backups" else rng.choice((7, 14, 35)),
                  "PreferredBackupWindow": "03:00-04:00", "DeletionProtection": If("IsProd", True, False),
                  "CopyTagsToSnapshot": True, "Tags": t.tags(name)})
    lid = t.resource(f"{p}Database", "AWS::RDS::DBInstance", props,
                     **deletion_policy(t, "Snapshot", fault == "no_deletion_policy"))
    t.stateful.append(GetAtt(lid, "DBInstanceArn"))
    t.output(f"{p}DatabaseEndpoint", GetAtt(lid, "Endpoint.Address"), export=chance(rng, 0.5))


def cfn_aurora(t: CfnTemplate, name: str, bad: bool) -> None:
    rng = t.rng
    cfn_network(t)
    fault = rng.choice(("one_instance", "same_az", "no_deletion_policy")) if bad else None
    p = pascal(name)
    engine, version = rng.choice(AURORA_ENGINES)
    group = t.resource(f"{p}ClusterSubnetGroup", "AWS::RDS::DBSubnetGroup", {
        "DBSubnetGroupDescription": f"{name} cluster subnets", "SubnetIds": t.subnets})
    cluster = t.resource(f"{p}Cluster", "AWS::RDS::DBCluster", {
        "Engine": engine, "EngineVersion": version, "DatabaseName": name, "MasterUsername": "app_admin",
        "ManageMasterUserPassword": True, "DBSubnetGroupName": Ref(group),
        "BackupRetentionPeriod": If("IsProd", 14, 7), "PreferredBackupWindow": "02:00-03:00",
        "StorageEncrypted": True, "DeletionProtection": If("IsProd", True, False), "CopyTagsToSnapshot": True,
        "Tags": t.tags(name)}, **deletion_policy(t, "Snapshot", fault == "no_deletion_policy"))
    count = 1 if fault == "one_instance" else rng.choice((2, 2, 3))
    for i in range(count):
        props = {"Engine": engine, "DBClusterIdentifier": Ref(cluster),
                 "DBInstanceClass": t.by_env("DBInstanceClass", DB_CLASSES), "PubliclyAccessible": False}
        if fault == "same_az":
            props["AvailabilityZone"] = Select(0, AZS)
        # a reader only in production is common, and keeps two instances when the stack is prod
        attrs = {"Condition": "IsProd"} if i == 2 and t.env == "prod" and chance(rng, 0.5) else {}
        t.resource(f"{p}Instance{i + 1}", "AWS::RDS::DBInstance", props, **attrs)
    t.stateful.append(GetAtt(cluster, "DBClusterArn"))
    t.output(f"{p}ClusterEndpoint", GetAtt(cluster, "Endpoint.Address"), export=chance(rng, 0.5))


def cfn_cache(t: CfnTemplate, name: str, bad: bool) -> None:
    rng = t.rng
    cfn_network(t)
    fault = rng.choice(("one_node", "no_failover")) if bad else None
    p = pascal(name)
    engine, version, _ = rng.choice(CACHE_ENGINES)
    group = t.resource(f"{p}CacheSubnetGroup", "AWS::ElastiCache::SubnetGroup", {
        "Description": f"{name} cache subnets", "SubnetIds": t.subnets})
    props = {"ReplicationGroupDescription": f"{name} cache", "Engine": engine, "EngineVersion": version,
             "CacheNodeType": t.by_env("CacheNodeType", CACHE_NODES), "CacheSubnetGroupName": Ref(group)}
    if fault is None:
        props.update({"NumCacheClusters": rng.choice((2, 3)), "AutomaticFailoverEnabled": True,
                      "MultiAZEnabled": cfn_flag(t, f"{p}CacheMultiAZ", "MultiAZ", True, "Spread cache nodes")})
    else:
        props.update({"NumCacheClusters": 1 if fault == "one_node" else 2, "AutomaticFailoverEnabled": False})
    props.update({"AtRestEncryptionEnabled": True, "TransitEncryptionEnabled": True,
                  "SnapshotRetentionLimit": rng.choice((1, 5, 7)), "Tags": t.tags(name)})
    lid = t.resource(f"{p}Cache", "AWS::ElastiCache::ReplicationGroup", props, **deletion_policy(t, "Snapshot", False))
    t.output(f"{p}CacheEndpoint", GetAtt(lid, "PrimaryEndPoint.Address"))


USER_DATA = """#!/bin/bash
set -euo pipefail
dnf install -y aws-cfn-bootstrap
systemctl enable --now app.service
/opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource %s --region ${AWS::Region}
"""


def cfn_web(t: CfnTemplate, name: str, bad: bool) -> None:
    """Security group, ALB, target group, listener, launch template and the Auto Scaling group with its
    creation and update policies."""
    rng = t.rng
    cfn_network(t)
    fault = rng.choice(("ec2_health", "one_subnet", "no_update_policy", "rolling_zero", "replace_no_signal")) \
        if bad else None
    p = pascal(name)
    sg = t.resource(f"{p}SecurityGroup", "AWS::EC2::SecurityGroup", {
        "GroupDescription": f"{name} web tier", "VpcId": t.vpc,
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}]})
    lb = t.resource(f"{p}LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer", {
        "Type": "application", "Scheme": "internal", "Subnets": t.subnets, "SecurityGroups": [Ref(sg)],
        "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]})
    tg = t.resource(f"{p}TargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", {
        "Port": 8080, "Protocol": "HTTP", "VpcId": t.vpc, "TargetType": "instance",
        "HealthCheckPath": rng.choice(("/healthz", "/health")), "HealthCheckIntervalSeconds": 15,
        "HealthyThresholdCount": 3, "UnhealthyThresholdCount": 2, "Matcher": {"HttpCode": "200"}})
    t.resource(f"{p}Listener", "AWS::ElasticLoadBalancingV2::Listener", {
        "LoadBalancerArn": Ref(lb), "Port": 80, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": Ref(tg)}]})
    ami = t.param("ImageId", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "Image of the instances")
    asg_id = f"{p}AutoScalingGroup"
    lt = t.resource(f"{p}LaunchTemplate", "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": {
        "ImageId": ami, "InstanceType": t.by_env("InstanceType", INSTANCE_TYPES),
        "SecurityGroupIds": [GetAtt(sg, "GroupId")], "MetadataOptions": {"HttpTokens": "required"},
        "UserData": {"Fn::Base64": Sub(USER_DATA % asg_id)}}})
    props = {"MinSize": "2", "MaxSize": rng.choice(("6", "10")), "DesiredCapacity": If("IsProd", "3", "2"),
             "VPCZoneIdentifier": t.first_subnet if fault == "one_subnet" else t.subnets,
             "TargetGroupARNs": [Ref(tg)]}
    if fault != "ec2_health":
        props["HealthCheckType"] = "ELB"
    props.update({"HealthCheckGracePeriod": 300,
                  "LaunchTemplate": {"LaunchTemplateId": Ref(lt), "Version": GetAtt(lt, "LatestVersionNumber")},
                  "Tags": [{"Key": "Name", "Value": Sub(f"${{AWS::StackName}}-{name}"), "PropagateAtLaunch": True}]})
    signal = {"ResourceSignal": {"Count": 2, "Timeout": "PT15M"}}
    rolling = {"MinInstancesInService": 0 if fault == "rolling_zero" else 1, "MaxBatchSize": 1,
               "PauseTime": "PT15M", "WaitOnResourceSignals": True}
    if fault == "no_update_policy":
        attrs = {"CreationPolicy": signal}
    elif fault == "replace_no_signal":
        attrs = {"UpdatePolicy": {"AutoScalingReplacingUpdate": {"WillReplace": True}}}
    elif fault == "rolling_zero" or chance(rng, 0.6):
        attrs = {"CreationPolicy": signal, "UpdatePolicy": {"AutoScalingRollingUpdate": rolling}}
    else:
        attrs = {"CreationPolicy": signal, "UpdatePolicy": {"AutoScalingReplacingUpdate": {"WillReplace": True}}}
    t.resource(asg_id, "AWS::AutoScaling::AutoScalingGroup", props, **attrs)
    t.web = lb
    t.output(f"{p}LoadBalancerDns", GetAtt(lb, "DNSName"), export=True)


def cfn_dns(t: CfnTemplate, name: str, bad: bool) -> None:
    """A PRIMARY/SECONDARY failover pair; the primary answers only while its health check passes."""
    rng = t.rng
    p = pascal(name)
    zone = t.param("HostedZoneId", "AWS::Route53::HostedZone::Id", description="Hosted zone of the records")
    t.param("DomainName", "String", "example.com", "Domain the service records live in")
    primary = GetAtt(t.web, "DNSName") if t.web else t.setting(
        f"{p}PrimaryEndpoint", "String", f"{name}-primary.example.net", "Primary endpoint")
    secondary = t.setting(f"{p}SecondaryEndpoint", "String", f"{name}-dr.example.net", "Standby endpoint")
    check = t.resource(f"{p}HealthCheck", "AWS::Route53::HealthCheck", {
        "HealthCheckConfig": {"Type": "HTTPS", "FullyQualifiedDomainName": primary, "Port": 443,
                              "ResourcePath": "/healthz", "RequestInterval": 30, "FailureThreshold": 3},
        "HealthCheckTags": [{"Key": "Name", "Value": Sub(f"${{AWS::StackName}}-{name}-primary")}]})
    record = Sub(f"{name}.${{DomainName}}.")
    for role, endpoint in (("Primary", primary), ("Secondary", secondary)):
        props = {"HostedZoneId": zone, "Name": record, "Type": "CNAME", "TTL": "60", "ResourceRecords": [endpoint],
                 "SetIdentifier": role.lower(), "Failover": role.upper()}
        if role == "Primary" and not bad:
            props["HealthCheckId"] = Ref(check)
        t.resource(f"{p}{role}Record", "AWS::Route53::RecordSet", props)
    if chance(rng, 0.3):
        t.output(f"{p}HealthCheckId", Ref(check))


def cfn_queues(t: CfnTemplate, name: str, bad: bool) -> None:
    """One to three queues, each with a dead-letter queue through RedrivePolicy."""
    rng = t.rng
    fault = rng.choice(("no_dlq", "short_dlq_retention", "fifo_mismatch")) if bad else None
    fifo = chance(rng, 0.25) or fault == "fifo_mismatch"
    dlq_fifo = fifo != (fault == "fifo_mismatch")
    for key in sorted(rng.sample(QUEUE_KEYS, rng.randint(1, 3))):
        p = pascal(name) + pascal(key)
        props = {"QueueName": Sub(f"${{AWS::StackName}}-{name}-{key}" + (".fifo" if fifo else ""))}
        if fifo:
            props.update({"FifoQueue": True, "ContentBasedDeduplication": True})
        props.update({"VisibilityTimeout": rng.choice((30, 60, 120)), "MessageRetentionPeriod": 345600,
                      "SqsManagedSseEnabled": True})
        if fault != "no_dlq":
            dlq = {"QueueName": Sub(f"${{AWS::StackName}}-{name}-{key}-dlq" + (".fifo" if dlq_fifo else ""))}
            if dlq_fifo:
                dlq["FifoQueue"] = True
            dlq.update({"MessageRetentionPeriod": rng.choice((86400, 345600)) if fault == "short_dlq_retention"
                        else 1209600, "RedriveAllowPolicy": {"redrivePermission": "allowAll"}})
            t.resource(f"{p}DeadLetterQueue", "AWS::SQS::Queue", dlq, **RETAIN)
            props["RedrivePolicy"] = {"deadLetterTargetArn": GetAtt(f"{p}DeadLetterQueue", "Arn"),
                                      "maxReceiveCount": rng.choice((3, 5, 10))}
        lid = t.resource(f"{p}Queue", "AWS::SQS::Queue", props, **RETAIN)
        t.output(f"{p}QueueUrl", Ref(lid))


def cfn_dynamodb(t: CfnTemplate, name: str, bad: bool) -> None:
    rng = t.rng
    fault = rng.choice(("no_pitr", "no_deletion_policy")) if bad else None
    p = pascal(name)
    props = {"BillingMode": "PAY_PER_REQUEST",
             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "sk", "AttributeType": "S"}],
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
             "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": fault != "no_pitr"},
             "SSESpecification": {"SSEEnabled": True}, "DeletionProtectionEnabled": If("IsProd", True, False)}
    if chance(rng, 0.4):
        props["TimeToLiveSpecification"] = {"AttributeName": "expires_at", "Enabled": True}
    props["Tags"] = t.tags(name)
    lid = t.resource(f"{p}Table", "AWS::DynamoDB::Table", props,
                     **deletion_policy(t, "Retain", fault == "no_deletion_policy"))
    t.stateful.append(GetAtt(lid, "Arn"))
    t.output(f"{p}TableName", Ref(lid))


def cfn_backup(t: CfnTemplate, name: str, bad: bool) -> None:
    rng = t.rng
    fault = rng.choice(("short_retention", "tag_mismatch")) if bad else None
    p = pascal(name)
    vault = t.resource(f"{p}BackupVault", "AWS::Backup::BackupVault",
                       {"BackupVaultName": Sub(f"${{AWS::StackName}}-{name}")}, DeletionPolicy="Retain",
                       UpdateReplacePolicy="Retain")
    days = rng.choice(SHORT_RETENTION) if fault == "short_retention" else rng.choice(LONG_RETENTION)
    rule = {"RuleName": "daily", "TargetBackupVault": Ref(vault), "ScheduleExpression": BACKUP_CRON,
            "StartWindowMinutes": 60, "Lifecycle": {"DeleteAfterDays": days}}
    if chance(rng, 0.6):
        dr = t.setting("DrVaultArn", "String", f"arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:dr",
                       "Vault in the recovery Region")
        rule["CopyActions"] = [{"DestinationBackupVaultArn": dr, "Lifecycle": {"DeleteAfterDays": days}}]
    plan_id = t.resource(f"{p}BackupPlan", "AWS::Backup::BackupPlan", {
        "BackupPlan": {"BackupPlanName": Sub(f"${{AWS::StackName}}-{name}"), "BackupPlanRule": [rule]}})
    role = t.resource(f"{p}BackupRole", "AWS::IAM::Role", {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]})
    selection = {"SelectionName": "stateful", "IamRoleArn": GetAtt(role, "Arn")}
    if fault is None and t.stateful and chance(rng, 0.4):
        selection["Resources"] = list(t.stateful)
    else:
        selection["ListOfTags"] = [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup",
                                    "ConditionValue": "hourly" if fault == "tag_mismatch" else "daily"}]
    t.resource(f"{p}BackupSelection", "AWS::Backup::BackupSelection",
               {"BackupPlanId": Ref(plan_id), "BackupSelection": selection})


LAMBDA_CODE = """import json


def handler(event, context):
    for record in event["Records"]:
        print(json.dumps({"id": record["messageId"]}))
    return {"batchItemFailures": []}
"""


def cfn_lambda(t: CfnTemplate, name: str, bad: bool) -> None:
    """A function fed by its own queue through an event source mapping."""
    rng = t.rng
    fault = rng.choice(("short_visibility", "no_dlq")) if bad else None
    p = pascal(name)
    timeout = rng.choice((60, 120, 300)) if fault == "short_visibility" else rng.choice((10, 30, 60))
    role = t.resource(f"{p}FunctionRole", "AWS::IAM::Role", {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]})
    queue = {"VisibilityTimeout": 30 if fault == "short_visibility" else 6 * timeout}
    if fault != "no_dlq":
        dlq = t.resource(f"{p}EventsDeadLetterQueue", "AWS::SQS::Queue", {"MessageRetentionPeriod": 1209600},
                         **RETAIN)
        queue["RedrivePolicy"] = {"deadLetterTargetArn": GetAtt(dlq, "Arn"), "maxReceiveCount": 5}
    events = t.resource(f"{p}EventsQueue", "AWS::SQS::Queue", queue, **RETAIN)
    function = t.resource(f"{p}Function", "AWS::Lambda::Function", {
        "Runtime": "python3.12", "Handler": "index.handler", "Role": GetAtt(role, "Arn"), "Timeout": timeout,
        "MemorySize": rng.choice((128, 256, 512)), "Code": {"ZipFile": LAMBDA_CODE},
        "Environment": {"Variables": {"QUEUE_URL": Ref(events), "LOG_LEVEL": If("IsProd", "INFO", "DEBUG")}},
        "TracingConfig": {"Mode": "Active"}, "Tags": t.tags(name)[:2]})
    t.resource(f"{p}EventSourceMapping", "AWS::Lambda::EventSourceMapping", {
        "EventSourceArn": GetAtt(events, "Arn"), "FunctionName": Ref(function), "BatchSize": 10,
        "FunctionResponseTypes": ["ReportBatchItemFailures"]})
    t.output(f"{p}FunctionArn", GetAtt(function, "Arn"))


CFN_COMPONENTS = {
    "rds": (cfn_rds, 2, True, 2), "aurora": (cfn_aurora, 4, True, 2), "cache": (cfn_cache, 2, True, 2),
    "dynamodb": (cfn_dynamodb, 1, False, 3), "queues": (cfn_queues, 2, False, 3),
    "web": (cfn_web, 6, True, 2), "lambda": (cfn_lambda, 5, False, 2), "dns": (cfn_dns, 3, False, 1),
    "backup": (cfn_backup, 4, False, 1),
}
CFN_NETWORK_COST = 2


def cloudformation_template(seed: str, index: int) -> tuple:
    """(file name, text, resources, misconfigured) of the index-th template."""
    rng = random.Random(f"{seed}/cloudformation/{index}")
    service = rng.choice(SERVICES)
    env_required = chance(rng, 0.1)
    t = CfnTemplate(rng, service, None if env_required else rng.choice(("prod", "prod", "staging")))
    cfn_scaffold(t, env_required)
    kinds = plan(rng, CFN_COMPONENTS, CFN_NETWORK_COST, with_child=False)
    faults = assemble(rng, CFN_COMPONENTS, kinds, t, rng.sample(PARTS, len(kinds)))
    doc = t.document(f"{service}: {', '.join(dict.fromkeys(kinds))}")
    stem = f"t{index:04d}-{service}"
    if chance(rng, 0.3):
        return stem + ".json", json.dumps(doc, indent=2) + "\n", len(t.resources), faults > 0
    text = "# Generated by benchmarks/generate.py\n" + YamlWriter(short=chance(rng, 0.85)).document(doc)
    return stem + ".yaml", text, len(t.resources), faults > 0


# ------------------------------------------------------------------------------------------- YAML writer

YAML_RESERVED = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"}
BLOCK_PLAIN = re.compile(r"[A-Za-z/][\w ./:()-]*[\w./)]|[A-Za-z]")
FLOW_PLAIN = re.compile(r"[A-Za-z/][\w./-]*")


def yaml_scalar(value, flow: bool = False) -> str:
    """A scalar, plain when it cannot be misread (no YAML 1.1 booleans, no flow indicators), else JSON-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    plain = (FLOW_PLAIN if flow else BLOCK_PLAIN).fullmatch(value)
    if plain and ": " not in value and value.lower() not in YAML_RESERVED:
        return value
    return json.dumps(value)


class YamlWriter:
    """Block-style YAML for CloudFormation; with short=True intrinsic functions take their !Tag form."""

    def __init__(self, short: bool):
        self.short = short

    def document(self, doc: dict) -> str:
        return "\n".join(self.mapping(doc, 0)) + "\n"

    def tag(self, value):
        """(tag, argument) of a short-form intrinsic function, or None."""
        if not (self.short and isinstance(value, dict) and len(value) == 1):
            return None
        (key, arg), = value.items()
        if key not in SHORT_TAGS:
            return None
        if key == "Fn::GetAtt":
            arg = ".".join(arg)
        return SHORT_TAGS[key], arg

    def flowable(self, value) -> bool:
        if isinstance(value, (bool, int)):
            return True
        if isinstance(value, str):
            return "\n" not in value
        if isinstance(value, list):
            return all(self.flowable(v) for v in value)
        tagged = self.tag(value)
        return tagged is not None and self.flowable(tagged[1])

    def flow(self, value) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        tagged = self.tag(value)
        if tagged:
            return f"{tagged[0]} {self.flow(tagged[1])}"
        return yaml_scalar(value, flow=True)

    def value(self, value, ind: int) -> tuple:
        """(text after "key:" or "-", following lines indented by ind + 2)."""
        tagged = self.tag(value)
        if tagged:
            name, arg = tagged
            if isinstance(arg, str) and "\n" in arg:
                return self.literal(arg, ind, name + " ")
            if not isinstance(arg, (list, dict)):
                return f" {name} {yaml_scalar(arg)}", []
            if self.flowable(arg):
                return f" {name} {self.flow(arg)}", []
            if isinstance(arg, list):
                return f" {name}", self.sequence(arg, ind + 2)
            # the argument is itself tagged, and a node takes one tag: this function keeps its long form
        if isinstance(value, dict):
            return (" {}", []) if not value else ("", self.mapping(value, ind + 2))
        if isinstance(value, list):
            return (" []", []) if not value else ("", self.sequence(value, ind + 2))
        if isinstance(value, str) and "\n" in value:
            return self.literal(value, ind, "")
        return " " + yaml_scalar(value), []

    def literal(self, text: str, ind: int, tag: str) -> tuple:
        chomp = "" if text.endswith("\n") else "-"
        pad = " " * (ind + 2)
        return f" {tag}|{chomp}", [pad + line if line else "" for line in text.splitlines()]

    def mapping(self, obj: dict, ind: int) -> list:
        lines = []
        for key, value in obj.items():
            head, body = self.value(value, ind)
            lines.append(" " * ind + yaml_scalar(key) + ":" + head)
            lines.extend(body)
        return lines

    def sequence(self, items: list, ind: int) -> list:
        lines = []
        for item in items:
            head, body = self.value(item, ind)
            if head or not body:
                lines.append(" " * ind + "-" + head)
                lines.extend(body)
            else:  # a mapping or a list starts on the dash's line
                lines.append(" " * ind + "- " + body[0][ind + 2:])
                lines.extend(body[1:])
        return lines


# ------------------------------------------------------------------------------------------------- main

def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def item_count(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_ITEMS:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_ITEMS}")
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=item_count, required=True, help="Terraform root modules to write")
    parser.add_argument("--templates", type=item_count, required=True, help="CloudFormation templates to write")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", default="rlint", help="seed (any string; default %(default)s)")
    parser.add_argument("--force", action="store_true", help="replace terraform/ and templates/ under --out")
    args = parser.parse_args(argv)

    sides = [args.out / "terraform", args.out / "templates"]
    if any(side.exists() for side in sides):
        if not args.force:
            print(f"generate.py: {args.out} already holds a corpus; pass --force or choose another --out",
                  file=sys.stderr)
            return 2
        for side in sides:
            shutil.rmtree(side, ignore_errors=True)

    tf_files = tf_resources = bad_modules = 0
    for index in range(args.modules):
        directory, files, resources, bad = terraform_module(args.seed, index)
        for relative, text in files.items():
            write(sides[0], f"{directory}/{relative}", text)
        tf_files += sum(1 for relative in files if relative.endswith(".tf"))
        tf_resources += resources
        bad_modules += bad

    cfn_resources = bad_templates = 0
    for index in range(args.templates):
        name, text, resources, bad = cloudformation_template(args.seed, index)
        write(sides[1], name, text)
        cfn_resources += resources
        bad_templates += bad

    print(f"modules={args.modules} tf_files={tf_files} templates={args.templates} "
          f"resources={tf_resources + cfn_resources} (terraform={tf_resources} cloudformation={cfn_resources}) "
          f"misconfigured: modules={bad_modules} templates={bad_templates} out={args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
