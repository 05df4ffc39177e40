"""The commented `.rlint.yaml` that `rlint init` writes. Every setting is valid as written (tests load it)."""

TEMPLATE = """\
# rlint configuration: https://github.com/your-org/rlint (see `rlint config --schema` for every key)
# Precedence: command line, then this file, then each rule's defaults.
version: 1

# Lowest severity that fails the run: high | medium | low | info | never.
fail_on: low

# Rules to run (ids, names or prefixes such as RL3); empty means all of them.
select: []

# Rules to skip; `--ignore` on the command line adds to this list.
ignore: []

# Paths to skip, as globs on the paths rlint reports.
exclude:
  - "**/.terraform/**"

# Suppression comments must say why: `# rlint:ignore RL101 -- reason`.
require_reason: false

# Per-rule settings, keyed by id or name: a severity and the rule's options.
rules: {}
#  RL101:
#    severity: medium
#  RL303:
#    options:
#      min_retention_days: 35

terraform:
  # .tfvars files read for every Terraform module, relative to this file.
  var_files: []
  # Variables, like `--var NAME=VALUE`.
  vars: {}
  # The workspace every root is evaluated in (terraform.workspace), like `--workspace NAME`; without it, TF_WORKSPACE
  # or the root's .terraform/environment, else unknown (docs/usage.md#terraform-workspaces).
  #workspace: staging

cloudformation:
  # Template parameters, like `--parameter NAME=VALUE`.
  parameters: {}

# Recreatable or transient data the backup, deletion and DR rules also judge (primary stores always are):
# logs, artifacts, deployment-files, queues, streams, secrets, caches, scratch, lock-tables, expiring, test-only, declared
# (docs/data-value.md says why each is left out; test-only resources are left out by every rule).
stateful:
  include: []
  # Stores whose data the team declares recreatable (class `declared`), by address glob, optional file glob
  # (relative to this file) and a reason; inline: `# rlint:recreatable -- reason` above the resource.
  recreatable: []
#    - resource: "module.notifier*.aws_dynamodb_table.state"
#      file: "infra/**"
#      reason: the CI notifier's working state, rebuilt on its next run

# Disaster-recovery objectives (RL701 RPO, RL702 RTO; `rlint scan --dr-report` shows the estimates).
# Durations: 30s, 15m, 1h, 24h, 7d. Scenarios: az, region, deletion (default all three).
dr:
  objectives: {}
#    default: {rpo: 24h, rto: 24h}
#    tier-1: {rpo: 15m, rto: 1h}
#  tier_tag: dr_tier
#  tiers_by_path:
#    "payments/*": tier-1

# Deployments of one application (docs/dr.md#deployments): each path (a Terraform root module or a template)
# is evaluated with its own inputs, all in one graph, so failover pairs, backup copies and standbys are
# judged across them; findings name their deployment. The same path may appear several times.
# Without this key, each root module or template is one deployment, as before.
#deployments:
#  - name: primary
#    path: infra/app                 # relative to this file
#    region: us-east-1
#    account: "123456789012"         # optional
#    var_files: [infra/app/primary.tfvars]
#    vars: {role: primary}
#  - name: standby
#    path: infra/app
#    region: us-west-2
#    var_files: [infra/app/standby.tfvars]
#  - name: staging
#    path: infra/app
#    region: eu-west-1
#    workspace: staging              # Terraform: terraform.workspace in this deployment
#  - name: web-standby
#    path: stacks/web.yaml           # a template: parameters_file and parameters
#    region: us-west-2
#    parameters: {Role: SECONDARY}
"""
