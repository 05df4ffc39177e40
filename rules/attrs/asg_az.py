"""Auto Scaling group placement: subnets or Availability Zones."""
from rlint.rules.base import Attr

ASG_SUBNETS = Attr("vpc_zone_identifier", "vpc_zone_identifier", "Properties.VPCZoneIdentifier")
ASG_AZS = Attr("availability_zones", "availability_zones", "Properties.AvailabilityZones")

__all__ = ["ASG_SUBNETS", "ASG_AZS"]
