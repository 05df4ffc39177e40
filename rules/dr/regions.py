"""Whether a copy lives in another Region than its source, on top of graphutil.regions.

A CloudFormation stack's Region is chosen at deployment, so a Region written in the template (a global
table replica, an EFS replication destination, `AutomaticBackupReplicationRegion`) is taken as another
Region: templates name a second Region to copy to, and assuming otherwise would report objectives as
missed that the deployment meets. The report states the assumption. A Terraform resource whose Region is
not known gives an Unknown instead.
"""
from __future__ import annotations

from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.base import TERRAFORM
from rlint.rules.graphutil.regions import Region, resource_region, same_region


def region_name(res: Resource) -> Optional[str]:
    region = resource_region(res)
    return region.name if isinstance(region, Region) else None


def leaves(res: Resource, other: Any) -> Any:
    """True when `other` (a resource, a Region, a Region name, or an Unknown) is another Region than the
    resource's, False when it is the same, else an Unknown."""
    if isinstance(other, Unknown):
        return other
    if isinstance(other, Resource):
        other = resource_region(other)
    elif isinstance(other, str):
        other = Region(other)
    elif other is MISSING or other is None:
        return Unknown("the destination Region is not known")
    same = same_region(resource_region(res), other)
    if isinstance(same, Unknown):
        named = isinstance(other, Region) and other.name is not None
        return True if named and res.format != TERRAFORM else same
    return not same


def named(res: Resource) -> str:
    """A resource as DR messages name it: with its deployment when `deployments:` are configured (the same
    address exists in each)."""
    deployment = res.meta.get("deployment")
    return f"{res.address} (deployment {deployment})" if deployment else res.address


def region_label(where: Any) -> str:
    """How the report and the pictures name the Region of a resource, a Region or a Region name: the name
    when known, else what it shares (a CloudFormation stack's Region, a provider's), else "another Region"."""
    if isinstance(where, str):
        return where
    if isinstance(where, Resource):
        deployed = where.meta.get("deployment_region")
        if isinstance(deployed, str):
            return deployed
        region = resource_region(where)
        if isinstance(region, Region) and region.name is None and region.scope and region.scope[0] == "stack":
            return f"the Region of {where.file}"
        where = region
    if isinstance(where, Region):
        if where.name is not None:
            return where.name
        if where.scope and where.scope[0] == "provider":
            return f"the Region of provider {where.scope[-1]}"
    return "another Region"


__all__ = ["region_name", "leaves", "region_label", "named"]
