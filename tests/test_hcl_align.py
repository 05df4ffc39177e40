"""What a fix writes into a .tf file is aligned as `terraform fmt` aligns it (rlint.fixes.hcl_align).

`terraform fmt` is the judge: every case, aligned as a whole by rlint, must equal fmt's output. Its answers
are recorded in tests/engine_verdicts/terraform-fmt-align/ so the ordinary suite runs without Terraform;
under CI they are asked again and a stale recording fails.
"""
from __future__ import annotations

import pytest

import engines
from rlint.fixes.hcl_align import align_like_fmt

# each case is indented as fmt indents it: only the alignment of `=` and of trailing comments differs
CASES = {
    "runs-and-breaks": '''resource "aws_sqs_queue" "a" {
  name = "x"
  message_retention_seconds = 1209600
  tags = {
    a = "b"
    "long-key" = 2
  }
  z = 3

  lifecycle {
    prevent_destroy = true
    ignore_changes = [tags]
  }
  after_block = 1
}
''',
    "heredoc-joins-its-run": '''resource "aws_iam_policy" "p" {
  name = "p"
  policy = <<EOF
{ "a" = "b" }
EOF
  description_text = "d"

  path = "/"
}
''',
    "one-line-values-with-brackets": '''resource "aws_sns_topic_subscription" "s" {
  m = { a = 1, b = 2 }
  policy = jsonencode({ a = "${var.x}" })
  list = [for k, v in var.m : v if v != ""]
  t = "a${b}c"
  u = "%{if true}x%{endif}"
  y = [1,
  2]
  endpoint = var.e
}
''',
    "trailing-comments": '''resource "aws_db_instance" "d" {
  x = 1 # short
  longer_name = 2 // comment
  q = var.a ? 1 : 0 # c1
  # only comment
  w = "s" /* c */
  v = 2
}
''',
    "multi-line-value-gets-one-space": '''resource "aws_backup_selection" "s" {
  name = "n"
  plan_id = "p"
  resources    = [
    "arn",
  ]
  iam_role_arn = "r"
}
''',
}


RECORDINGS = engines.Recordings("terraform-fmt-align")


def _fmt(case: str, text: str) -> str:
    recorded = RECORDINGS.get(text)
    if recorded is not None and not engines.engines_required():
        return recorded
    engines.require_terraform()
    proc = engines.terraform(engines.VERDICTS.parent, "fmt", "-no-color", "-", stdin=text)
    if recorded is not None:
        assert recorded == proc.stdout, f"{case}: the recording of terraform fmt's answer is stale"
    RECORDINGS.put(text, case, proc.stdout)
    return proc.stdout


@pytest.fixture(scope="module", autouse=True)
def _prune(request):
    yield
    if request.session.testsfailed == 0 and not request.config.getoption("keyword"):
        RECORDINGS.prune(set(CASES))


@pytest.mark.parametrize("case", sorted(CASES))
def test_alignment_of_a_whole_file_is_terraform_fmts(case):
    text = CASES[case]
    assert align_like_fmt("", text) == _fmt(case, text)


def test_only_the_runs_a_change_touches_are_realigned():
    old = '''resource "aws_sns_topic_subscription" "s" {
  topic_arn = aws_sns_topic.t.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.f.arn
}

resource "aws_sqs_queue" "q" {
  name = "left-as-written"
  visibility_timeout_seconds = 30
}
'''
    new = old.replace('''  endpoint  = aws_lambda_function.f.arn
''', '''  endpoint  = aws_lambda_function.f.arn
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn })
''')
    assert align_like_fmt(old, new) == '''resource "aws_sns_topic_subscription" "s" {
  topic_arn      = aws_sns_topic.t.arn
  protocol       = "lambda"
  endpoint       = aws_lambda_function.f.arn
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn })
}

resource "aws_sqs_queue" "q" {
  name = "left-as-written"
  visibility_timeout_seconds = 30
}
'''


def test_a_value_that_becomes_multi_line_leaves_the_run_and_the_run_closes_up():
    old = '''resource "aws_backup_selection" "s" {
  name             = "n"
  resources        = ["a"]
  iam_role_arn     = "r"
}
'''
    new = old.replace('resources        = ["a"]', 'resources        = [\n    "a",\n    "b",\n  ]')
    assert align_like_fmt(old, new) == '''resource "aws_backup_selection" "s" {
  name = "n"
  resources = [
    "a",
    "b",
  ]
  iam_role_arn = "r"
}
'''


def test_a_trailing_comment_run_moves_with_the_equals_it_follows():
    old = '''resource "aws_db_instance" "d" {
  engine = "postgres" # kept in step
  multi_az = false    # the rule reads this
}
'''
    new = old.replace("  multi_az = false    # the rule reads this\n",
                      "  multi_az = false    # the rule reads this\n  deletion_protection = true\n")
    assert align_like_fmt(old, new) == '''resource "aws_db_instance" "d" {
  engine              = "postgres" # kept in step
  multi_az            = false      # the rule reads this
  deletion_protection = true
}
'''


def test_text_that_does_not_parse_is_left_as_it_is():
    old = 'resource "a" "b" {\n  x = 1\n'
    new = old + "  longer = 2\n"
    assert align_like_fmt(old, new) == new


def test_unchanged_text_is_returned_as_it_is():
    text = 'resource "a" "b" {\n  x = 1\n  longer = 2\n}\n'
    assert align_like_fmt(text, text) == text
