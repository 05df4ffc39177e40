"""Which AWS Region a resource or an ARN lives in, as far as the configuration tells.

A Region is known by name when it is written down: a Terraform resource's `region` argument (provider 6),
the `region` of the provider configuration it uses, or the Region field of a literal ARN. When the name is
not known, two resources may still be known to share a Region: Terraform resources of one module instance
using the same provider configuration, or the resources of one CloudFormation stack (the stack's Region is
the `AWS::Region` pseudo-parameter, chosen at deploy time). `Region.scope` names that shared configuration.
A configured deployment (`deployments:`) names the Region of its stack, and of a Terraform root's default
provider when the configuration does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from rlint.lazy_regex import lazy_regex
from rlint.model import Resource, Unknown
from rlint.rules.base import TERRAFORM

# arn:<partition>:<service>:<region>:<account>:<rest>
_ARN = re.compile(r"^arn:[^:]*:[^:]*:(?P<region>[^:]*):[^:]*:.*$")
_SUB_FIELD = lazy_regex(r"(?:\$\{[^}]*\}|[^:$]|\$(?!\{))*")  # one ARN field; `${AWS::Region}` has colons
STACK_REGION = "${AWS::Region}"


@dataclass(frozen=True)
class Region:
    """A Region by name (None when not known) and the configuration it shares with other resources."""

    name: Optional[str]
    scope: Optional[tuple] = None  # ("provider", unit, module prefix, "aws.dr") | ("stack", unit[, stack set])

    def describe(self) -> str:
        if self.name is not None:
            return f"`{self.name}`"
        if self.scope and self.scope[0] == "stack":
            return "the stack's Region"
        if self.scope:
            return f"the Region of provider `{self.scope[-1]}`"
        return "an unknown Region"


def _module_prefix(res: Resource) -> str:
    """`module.a.module.b` for `module.a.module.b.aws_x.y` (provider names are local to a module instance)."""
    return ".".join((res.block_address or res.address).split(".")[:-2])


def resource_region(res: Resource) -> Any:
    """The Region a resource is created in, or an Unknown when its `region` argument is not known."""
    unit = res.meta.get("unit", "")
    deployed = res.meta.get("deployment_region")  # a configured deployment says where it runs
    if res.format != TERRAFORM:
        if "stack_region" in res.meta:  # a template a Terraform stack deploys: where its provider creates it
            region, (kind, *rest) = res.meta["stack_region"]
            return Region(region, (kind, unit, *rest))
        return Region(deployed, ("stack", unit))
    own = res.attrs.get("region")
    if isinstance(own, Unknown):
        return Unknown(f"the `region` of {res.address} is not known ({own.reason})")
    if isinstance(own, str):
        return Region(own)
    provider = res.meta.get("provider")
    if not isinstance(provider, str):
        return Unknown(f"the provider of {res.address} is not known")
    configured = res.meta.get("provider_region")
    scope = ("provider", unit, _module_prefix(res), provider)
    if not isinstance(configured, str) and provider == "aws" and deployed:
        configured = deployed  # the default provider names no Region: the deployment's
    return Region(configured if isinstance(configured, str) else None, scope)


def arn_region(arn: str) -> Optional[str]:
    """The Region field of a literal ARN, or None when it is not an ARN or names no Region."""
    m = _ARN.match(arn)
    return m["region"] if m and m["region"] and "*" not in m["region"] else None


def _sub_fields(template: str) -> list:
    """The colon-separated fields of an `Fn::Sub` template, keeping `${...}` variables whole."""
    fields, i = [], 0
    while i <= len(template):
        m = _SUB_FIELD().match(template, i)
        fields.append(m.group(0))
        i = m.end() + 1
    return fields


def sub_arn_region(template: str, res: Resource) -> Any:
    """The Region of a CloudFormation `Fn::Sub` ARN template: its literal Region field, the stack's Region for
    `${AWS::Region}`, or None when the field is another variable or the template is no ARN."""
    fields = _sub_fields(template)
    if len(fields) < 6 or fields[0] != "arn":
        return None
    field = fields[3]
    if field == STACK_REGION:
        return resource_region(res)
    if field and "${" not in field and "*" not in field:
        return Region(field)
    return None


def same_region(a: Any, b: Any) -> Any:
    """True, False, or an Unknown when either Region cannot be told apart from the other."""
    for r in (a, b):
        if isinstance(r, Unknown):
            return r
    if a.scope is not None and a.scope == b.scope:
        return True
    if a.name is not None and b.name is not None:
        return a.name == b.name
    return Unknown(f"{a.describe()} and {b.describe()} may or may not be the same Region")


__all__ = ["Region", "resource_region", "arn_region", "sub_arn_region", "same_region", "STACK_REGION"]
