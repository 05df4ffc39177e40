role        = "primary"
region      = "us-east-1"
peer_region = "us-west-2"
