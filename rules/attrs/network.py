"""VPC networking and load balancers: subnets, NAT gateways, routes, ELB/ELBv2 placement."""
from rlint.rules.base import Attr

SUBNET_AZ = Attr("availability_zone", "availability_zone", "Properties.AvailabilityZone")
SUBNET_AZ_ID = Attr("availability_zone_id", "availability_zone_id", "Properties.AvailabilityZoneId")

# ELBv2: an absent type is an Application Load Balancer in both formats.
LB_TYPE = Attr("load_balancer_type", "load_balancer_type", "Properties.Type", tf_default="application",
               cfn_default="application")
LB_SUBNETS = Attr("subnets", "subnets", "Properties.Subnets")
LB_SUBNET_MAPPINGS = Attr("subnet_mapping", "subnet_mapping", "Properties.SubnetMappings")
# an ALB on an Outpost takes exactly one subnet
LB_CUSTOMER_OWNED_POOL = Attr("customer_owned_ipv4_pool", "customer_owned_ipv4_pool",
                              "Properties.CustomerOwnedIpv4Pool")
# Classic ELB: subnets (VPC) or Availability Zones (default VPC / EC2-Classic)
CLB_SUBNETS = Attr("subnets", "subnets", "Properties.Subnets")
CLB_AZS = Attr("availability_zones", "availability_zones", "Properties.AvailabilityZones")

# NAT gateway: zonal unless declared regional (a regional NAT gateway spans the VPC's zones).
NAT_AVAILABILITY_MODE = Attr("availability_mode", "availability_mode", "Properties.AvailabilityMode",
                             tf_default="zonal", cfn_default="zonal")
NAT_SUBNET = Attr("subnet_id", "subnet_id", "Properties.SubnetId")

__all__ = ["SUBNET_AZ", "SUBNET_AZ_ID", "LB_TYPE", "LB_SUBNETS", "LB_SUBNET_MAPPINGS", "LB_CUSTOMER_OWNED_POOL",
           "CLB_SUBNETS", "CLB_AZS", "NAT_AVAILABILITY_MODE", "NAT_SUBNET"]
