"""AWS provider 4.x -> 5.x renames of the Terraform arguments the rules read.

Configurations pinned to provider 4.x (or older) still write the old names, and the rules read both (each
`Attr` lists its old spellings in `tf_legacy`). A fix edits the spelling the resource already writes; when it
writes neither, the old name is chosen only when the configuration proves provider 4.x or older: a lock file
or `required_providers` constraint whose highest allowed major version is below 5, or an argument of the
same resource that exists only before 5.0. Otherwise (5.x, or nothing says) the current name is written.

Source: the provider's version 5 upgrade guide (ElastiCache replication groups: hashicorp/terraform-provider-aws
#18440; `aws_db_instance.name`: #31232); `aws_autoscaling_attachment.alb_target_group_arn` has its own
attribute (rules/attrs/autoscaling.py).
"""
from __future__ import annotations

from rlint.model import MISSING, Resource

FIRST_MAJOR_WITHOUT_LEGACY = 5

# arguments that exist only before provider 5.0, per resource type: the resource writing one of them proves
# an older provider. A name mapped to "block" counts only when written as a nested block (`cluster_mode` is
# a block in 4.x and a string argument in 5.x).
LEGACY_ONLY = {
    "aws_elasticache_replication_group": {"number_cache_clusters": "any", "replication_group_description": "any",
                                          "availability_zones": "any", "cluster_mode": "block"},
    "aws_db_instance": {"name": "any", "security_group_names": "any"},
    "aws_autoscaling_attachment": {"alb_target_group_arn": "any"},
}


# arguments that exist only from provider 6.0, which the rules read so that a 6.x configuration is read right
# (5.100's schema lacks them; tests/test_attr_schema.py holds every other read against it). "*" is any type.
NEWER_ONLY = {
    "*": {"region": "6.0 gives every resource its own Region (multi-Region configurations without aliases)"},
    "aws_nat_gateway": {"availability_mode": "6.x regional NAT gateways (availability_mode = \"regional\")"},
}


def uses_legacy_arguments(res: Resource) -> bool:
    """True when the resource writes an argument that provider 5.0 removed."""
    names = LEGACY_ONLY.get(res.type)
    if not names or res.format != "terraform":
        return False
    for name, form in names.items():
        value = res.attrs.get(name, MISSING)
        if value is MISSING or value is None:
            continue
        if form == "any" or (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            return True
    return False


def provider_below_5(res: Resource) -> bool:
    """True when the lock file or every `required_providers` constraint of the configuration allows only
    AWS provider majors below 5 (`res.meta["aws_provider_majors"]` is (lowest, highest or None))."""
    majors = res.meta.get("aws_provider_majors")
    return bool(majors) and majors[1] is not None and majors[1] < FIRST_MAJOR_WITHOUT_LEGACY


def writes_legacy_names(res: Resource) -> bool:
    """A fix that adds an argument with a renamed spelling writes the old one."""
    return res.format == "terraform" and (uses_legacy_arguments(res) or provider_below_5(res))


__all__ = ["LEGACY_ONLY", "NEWER_ONLY", "uses_legacy_arguments", "provider_below_5", "writes_legacy_names"]
