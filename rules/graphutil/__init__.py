"""Graph walks shared by several rules (resolved once, reused): messaging links, values, Availability Zones of
subnets and lists (zones), default routes through NAT gateways (routes)."""
