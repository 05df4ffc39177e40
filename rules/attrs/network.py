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

# Cross-zone load balancing. ELBv2: Terraform's argument defaults to false (an Application Load Balancer has it
# on whatever the setting); CloudFormation sets it through LoadBalancerAttributes. A target group may override
# it (attrs.target_groups).
LB_CROSS_ZONE = Attr("enable_cross_zone_load_balancing", "enable_cross_zone_load_balancing", None, tf_default=False)
LB_ATTRIBUTES = Attr("load_balancer_attributes", None, "Properties.LoadBalancerAttributes")
CROSS_ZONE_KEY = "load_balancing.cross_zone.enabled"  # the key in LoadBalancerAttributes and TargetGroupAttributes
# Classic ELB: Terraform defaults cross-zone to true, the API (and so CloudFormation) to false.
CLB_CROSS_ZONE = Attr("cross_zone_load_balancing", "cross_zone_load_balancing", "Properties.CrossZone",
                      tf_default=True, cfn_default=False)
CLB_TYPES = ("aws_elb", "AWS::ElasticLoadBalancing::LoadBalancer")

# NAT gateway: zonal unless declared regional (a regional NAT gateway spans the VPC's zones).
NAT_AVAILABILITY_MODE = Attr("availability_mode", "availability_mode", "Properties.AvailabilityMode",
                             tf_default="zonal", cfn_default="zonal")
NAT_SUBNET = Attr("subnet_id", "subnet_id", "Properties.SubnetId")

__all__ = ["SUBNET_AZ", "SUBNET_AZ_ID", "LB_TYPE", "LB_SUBNETS", "LB_SUBNET_MAPPINGS", "LB_CUSTOMER_OWNED_POOL",
           "CLB_SUBNETS", "CLB_AZS", "NAT_AVAILABILITY_MODE", "NAT_SUBNET", "LB_CROSS_ZONE", "LB_ATTRIBUTES",
           "CROSS_ZONE_KEY", "CLB_CROSS_ZONE", "CLB_TYPES"]
