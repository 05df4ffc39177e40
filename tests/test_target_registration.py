"""RL208 looks only at target groups something can register targets into: in the code rlint reads, or beyond it
(a root output, a module rlint cannot read)."""
from __future__ import annotations

from helpers import run

GROUP = '''resource "aws_lb_target_group" "app" {
  name     = "app"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-123"
}
'''


def rl208(tmp_path, extra: str, files: dict = None) -> list:
    (tmp_path / "main.tf").write_text(GROUP + extra)
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return [f.resource for f in run(tmp_path, select=("RL208",)).findings]


def test_a_group_nothing_refers_to_is_silent(tmp_path):
    assert rl208(tmp_path, "") == []


def test_a_group_handed_to_a_module_rlint_cannot_read_may_get_targets(tmp_path):
    call = '''module "service" {
  source           = "git::https://example.com/service.git?ref=v1"
  target_group_arn = aws_lb_target_group.app.arn
}
'''
    assert rl208(tmp_path, call) == ["aws_lb_target_group.app"]


def test_a_group_in_a_root_output_may_get_targets_elsewhere(tmp_path):
    output = 'output "tg" {\n  value = { arn = aws_lb_target_group.app.arn }\n}\n'
    assert rl208(tmp_path, output) == ["aws_lb_target_group.app"]


def test_an_ecs_service_in_a_local_module_registers_into_the_group(tmp_path):
    call = 'module "service" {\n  source = "./service"\n  target_group_arn = aws_lb_target_group.app.arn\n}\n'
    service = '''variable "target_group_arn" {
  type = string
}

resource "aws_ecs_service" "app" {
  name = "app"
  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "app"
    container_port   = 80
  }
}
'''
    assert rl208(tmp_path, call, {"service/main.tf": service}) == ["aws_lb_target_group.app"]


def test_a_local_module_that_only_routes_to_the_group_registers_nothing(tmp_path):
    call = 'module "routing" {\n  source = "./routing"\n  target_group_arn = aws_lb_target_group.app.arn\n}\n'
    routing = '''variable "target_group_arn" {
  type = string
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/front/0123456789abcdef"
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = var.target_group_arn
  }
}
'''
    assert rl208(tmp_path, call, {"routing/main.tf": routing}) == []
