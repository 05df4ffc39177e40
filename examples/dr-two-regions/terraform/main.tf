# One application, deployed twice through `deployments:` in ../.rlint.yaml: the primary in us-east-1 and a
# warm standby in us-west-2 (primary.tfvars, standby.tfvars). The orders database is an Aurora Global
# Database whose clusters are joined across the two deployments, the sessions table a DynamoDB global table,
# the web tier runs in both Regions (the standby scaled down), and Route 53 fails over from the primary's
# health-checked record to the standby's.

provider "aws" {
  region = var.region
}

locals {
  primary = var.role == "primary"
  name    = "shop-${var.role}"
  peer    = local.primary ? "standby" : "primary"
}

# -- data -------------------------------------------------------------------------------------------------
resource "aws_rds_global_cluster" "orders" {
  count                     = local.primary ? 1 : 0
  global_cluster_identifier = "shop-tf-orders"
  engine                    = "aurora-postgresql"
  engine_version            = "16.8"
  storage_encrypted         = true
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "${local.name}-orders"
  engine                      = "aurora-postgresql"
  engine_version              = "16.8"
  global_cluster_identifier   = "shop-tf-orders"
  master_username             = local.primary ? "orders" : null
  manage_master_user_password = local.primary ? true : null
  backup_retention_period     = 7
  storage_encrypted           = true
  deletion_protection         = true
  skip_final_snapshot         = false
  final_snapshot_identifier   = "${local.name}-orders-final"
  depends_on = [aws_rds_global_cluster.orders]
}

resource "aws_rds_cluster_instance" "orders" {
  count              = var.orders_instances
  identifier         = "${local.name}-orders-${count.index}"
  cluster_identifier = aws_rds_cluster.orders.id
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
}

resource "aws_dynamodb_table" "sessions" {
  count        = local.primary ? 1 : 0
  name         = "shop-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  replica {
    region_name            = var.peer_region
    point_in_time_recovery = true
  }
  deletion_protection_enabled = true
}

# -- backups: daily, each copied to the vault the other deployment creates in its Region ------------------
resource "aws_backup_vault" "shop" {
  name = "shop-${var.role}"
}

resource "aws_backup_plan" "daily" {
  name = "${local.name}-daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.shop.name
    schedule          = "cron(0 3 * * ? *)"
    lifecycle {
      delete_after = 90
    }
    copy_action {
      destination_vault_arn = "arn:aws:backup:${var.peer_region}:${var.account_id}:backup-vault:shop-${local.peer}"
      lifecycle {
        delete_after = 90
      }
    }
  }
}

resource "aws_backup_selection" "orders" {
  name         = "${local.name}-orders"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::${var.account_id}:role/shop-backup"
  resources    = concat([aws_rds_cluster.orders.arn], aws_dynamodb_table.sessions[*].arn)
}

# -- web tier ---------------------------------------------------------------------------------------------
resource "aws_lb" "web" {
  name               = "${local.name}-web"
  load_balancer_type = "application"
  subnets            = var.subnet_ids
}

resource "aws_lb_target_group" "web" {
  name     = "${local.name}-web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id
  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_launch_template" "web" {
  name_prefix   = "${local.name}-web-"
  image_id      = var.ami_id
  instance_type = "t3.small"
}

resource "aws_autoscaling_group" "web" {
  name                = "${local.name}-web"
  min_size            = 2
  max_size            = var.web_max
  vpc_zone_identifier = var.subnet_ids
  target_group_arns   = [aws_lb_target_group.web.arn]
  health_check_type   = "ELB"
  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}

# -- traffic ----------------------------------------------------------------------------------------------
resource "aws_route53_health_check" "web" {
  fqdn              = aws_lb.web.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz"
  failure_threshold = 3
  request_interval  = 30
}

resource "aws_route53_record" "www" {
  zone_id         = var.zone_id
  name            = "www.example.com"
  type            = "A"
  set_identifier  = var.role
  health_check_id = aws_route53_health_check.web.id
  failover_routing_policy {
    type = local.primary ? "PRIMARY" : "SECONDARY"
  }
  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}
