"""What the user supplies beside the files: Terraform variables and CloudFormation parameters.

Kept apart from the evaluators so that the command line and the engine can build them without importing
the machinery of a format the scan may not contain (PyYAML and the template evaluator for a Terraform-only
scan, tree-sitter for a CloudFormation-only one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


class DeploymentError(ValueError):
    """A deployment that cannot be evaluated as written (a usage error: exit 2). Defined beside the inputs,
    which every scan loads, so that a scan without deployments does not load rlint.deployments to catch it."""


@dataclass
class TerraformInputs:
    """Values given on the command line or in the configuration file."""

    var_files: list = field(default_factory=list)  # [Path]
    variables: list = field(default_factory=list)  # [(name, raw string)] from --var, in order
    environ: Optional[dict] = None  # defaults to os.environ
    # the workspace named to rlint (--workspace, `workspace:`, a deployment's): terraform.workspace in every root;
    # without it each root reads TF_WORKSPACE or its .terraform/environment (evaluate/workspace.py)
    workspace: Optional[str] = None
    workspace_from: str = ""  # where it was named, for the report: "--workspace", "deployment staging" ...
    # a deployment's Region: what the default provider creates in when it names none (the templates of
    # aws_cloudformation_stack read it as AWS::Region)
    region: Optional[str] = None


@dataclass
class CfnInputs:
    parameters: dict = field(default_factory=dict)  # name -> string value (--parameter, parameter files)
    # name -> why the value is unknown (a nested stack's parent passes a value known only at deploy time)
    unknown_parameters: dict = field(default_factory=dict)
    # the values come from the user (command line, configuration, parameter files), not from a parent stack:
    # one that cannot be right is a usage error rather than an unknown
    from_user: bool = False
    # name -> (model.Origin, ...): where a parent stack writes the value it passes (value provenance)
    origins: dict = field(default_factory=dict)
    # the parameters a deployment scenario sets (evaluate/scenarios.variant), not the deployment: a fix may
    # still change what their other values choose (fixes/cfn_place, cfn_origins._varies)
    scenario: frozenset = frozenset()
