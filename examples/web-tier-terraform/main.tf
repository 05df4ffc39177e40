# A web tier: an Auto Scaling group behind an ALB, a PostgreSQL database, and DNS failover
# to a static maintenance site. rlint finds what would hurt when an instance or an AZ fails.

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      team    = "shop"
      backup  = "daily"
    }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_lb" "web" {
  name               = "${local.name}-alb"
  load_balancer_type = "application"
  subnets            = aws_subnet.private[*].id
}

resource "aws_lb_target_group" "web" {
  name     = "${local.name}-tg"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_launch_template" "web" {
  name_prefix   = "${local.name}-"
  image_id      = var.ami_id
  instance_type = "t3.small"
}

resource "aws_autoscaling_group" "web" {
  name                = "${local.name}-asg"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = aws_subnet.private[*].id
  target_group_arns   = [aws_lb_target_group.web.arn]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}

resource "aws_db_instance" "orders" {
  identifier              = "${local.name}-orders"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = var.db_instance_class
  allocated_storage       = 100
  multi_az                = var.db_multi_az
  backup_retention_period = 7
  username                = "orders"
  manage_master_user_password = true
}

resource "aws_route53_health_check" "web" {
  fqdn              = aws_lb.web.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz"
  failure_threshold = 3
  request_interval  = 30
}

resource "aws_route53_record" "www_primary" {
  zone_id        = var.zone_id
  name           = "www.example.com"
  type           = "A"
  set_identifier = "primary"

  failover_routing_policy {
    type = "PRIMARY"
  }

  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "www_secondary" {
  zone_id        = var.zone_id
  name           = "www.example.com."
  type           = "A"
  set_identifier = "maintenance"

  failover_routing_policy {
    type = "SECONDARY"
  }

  alias {
    name                   = "maintenance.example.com.s3-website-eu-west-1.amazonaws.com"
    zone_id                = "Z1BKCTXD74EZPE"
    evaluate_target_health = false
  }
}
