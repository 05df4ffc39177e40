"""Graph helpers shared by rules: Availability Zones of subnets and lists, and routing through NAT gateways."""
