"""Which Region a resource lives in, as far as the configuration says.

Terraform: the resource's `region` argument (provider 6.x), else its provider's `region`. CloudFormation:
a stack's Region is chosen at deployment, so it is never known; a Region written in an ARN or a
`Region` property is. `None` means not known.
"""
from __future__ import annotations

from typing import Any, Optional

from rlint.model import Resource, Unknown
from rlint.rules.base import TERRAFORM


def region_of(res: Resource) -> Optional[str]:
    if res.format != TERRAFORM:
        return None
    region = res.attrs.get("region", res.meta.get("provider_region"))
    return region if isinstance(region, str) and region else None


def arn_region(value: Any) -> Any:
    """The Region field of an ARN string; None when the ARN has none (S3) or it is not an ARN."""
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    return parts[3] if len(parts) > 5 and parts[0] == "arn" and parts[3] else None


def elsewhere(source: Optional[str], other: Any) -> Any:
    """Whether `other` is a Region other than `source`: True, False, or an Unknown.

    A known Region against an unknown source Region (any CloudFormation stack) counts as another Region:
    configurations name a second Region to copy to, and assuming otherwise would report objectives as
    missed that the deployment meets. The report states the assumption."""
    if isinstance(other, Unknown):
        return other
    if not isinstance(other, str):
        return Unknown("the destination Region is not known")
    if other.startswith("${AWS::Region}") or other == "AWS::Region":
        return False
    return source is None or other != source


__all__ = ["region_of", "arn_region", "elsewhere"]
