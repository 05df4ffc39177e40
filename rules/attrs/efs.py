"""Amazon EFS file systems."""
from rlint.rules.base import Attr

# Set only for One Zone file systems; absent means Regional (Standard) storage across zones.
EFS_AZ_NAME = Attr("availability_zone_name", "availability_zone_name", "Properties.AvailabilityZoneName")

__all__ = ["EFS_AZ_NAME"]
