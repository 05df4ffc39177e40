role             = "standby"
region           = "us-west-2"
peer_region      = "us-east-1"
orders_instances = 1
web_max          = 2
