"""Templates whose text is known only in part (PartialString) and the Lambda permission principals decided
from them: the Region or the account read at plan or deploy time does not change which service, or which kind
of principal, a permission names (issue 15, round 9)."""
from __future__ import annotations

import pickle

from helpers import FIXTURES, resources_in, run
from rlint.model import PartialString, Unknown
from rlint.rules.data_value import data_value
from rlint.rules.graphutil.messaging import invoking_service


def test_terraform_template_keeps_its_known_text(tmp_path):
    res = resources_in(tmp_path, "main.tf", 'data "aws_region" "r" {}\nvariable "acct" { type = string }\n'
                     'resource "aws_lambda_permission" "p" {\n'
                     '  principal = "logs.${data.aws_region.r.name}.amazonaws.com"\n'
                     '  source_arn = "arn:aws:logs:${data.aws_region.r.name}:${var.acct}:log-group:x:*"\n'
                     '  statement_id = "${var.acct}"\n'
                     '  function_name = "fn-${var.acct}${var.acct}"\n}\n')["aws_lambda_permission.p"]
    principal = res.attrs["principal"]
    assert isinstance(principal, PartialString) and isinstance(principal, Unknown)
    assert principal.pieces == ("logs.", None, ".amazonaws.com")
    assert principal.pattern() == "logs.*.amazonaws.com"
    assert principal.refs == frozenset({("data.aws_region.r", "name")})  # still the edge to the data source
    assert res.attrs["source_arn"].pieces == ("arn:aws:logs:", None, ":", None, ":log-group:x:*")
    assert type(res.attrs["statement_id"]) is Unknown  # "${x}" alone is x's own value, no text around it
    assert res.attrs["function_name"].pieces == ("fn-", None, None)
    assert pickle.loads(pickle.dumps(principal)) == principal  # parallel loading


def test_cloudformation_sub_keeps_its_known_text(tmp_path):
    res = resources_in(tmp_path, "t.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                     '  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n'
                     '      Principal: !Sub "logs.${AWS::Region}.amazonaws.com"\n'
                     '      FunctionName: !Sub "${AWS::StackName}"\n'
                     '      Action: lambda:InvokeFunction\n')["P"]
    props = res.attrs["Properties"]
    assert props["Principal"].pieces == ("logs.", None, ".amazonaws.com")
    assert type(props["FunctionName"]) is Unknown


def test_principal_services():
    partial = lambda *pieces: PartialString("x is read at plan time", frozenset(), pieces)  # noqa: E731
    assert invoking_service(None, None, "logs.amazonaws.com") == "CloudWatch Logs"
    assert invoking_service(None, None, "logs.eu-west-2.amazonaws.com") == "CloudWatch Logs"
    assert invoking_service(None, None, "logs.us-gov-west-1.amazonaws.com") == "CloudWatch Logs"
    assert invoking_service(None, None, "apigateway.amazonaws.com") is None  # synchronous: not listed
    assert invoking_service(None, None, "arn:aws:iam::123456789012:role/operator") is None
    assert invoking_service(None, None, partial("logs.", None, ".amazonaws.com")) == "CloudWatch Logs"
    assert invoking_service(None, None, partial("s3.", None, ".amazonaws.com")) == "S3"
    assert invoking_service(None, None, partial("apigateway.", None, ".amazonaws.com")) is None
    assert invoking_service(None, None, partial("arn:aws:iam::", None, ":role/operator")) is None
    # text that decides nothing: the hole may hold any service
    undecided = partial(None, ".amazonaws.com")
    assert invoking_service(None, None, undecided) is undecided
    assert isinstance(invoking_service(None, None, partial("logs", None, ".amazonaws.com")), Unknown)


MERGED = FIXTURES / "terraform" / "merged_policy"


def test_merged_policy_documents_decide_who_may_write():
    """`source_policy_documents` is read: a document handed to a module and merged into its bucket policy there
    lets only CloudFront read (the bucket holds only the page the caller uploads: deployment-files), while a
    merged document that lets a role write keeps the bucket a primary store. Without the merge both buckets
    stay primary (the policy is undecided); without `var.policy == null` decided, the module's merge is undecided.
    The access-log bucket's policy names the pages bucket only in its condition: it grants on the log bucket, not
    into the pages bucket."""
    result = run(MERGED, select=("RL407",))
    fails = {(f.rule_id, f.resource, f.outcome.value) for f in result.findings}
    assert fails == {("RL407", "aws_s3_bucket.uploads", "fail")}
    classes = {r.address: data_value(r, result.graph).kind for r in result.graph.resources
               if r.type == "aws_s3_bucket"}
    assert classes == {"module.pages.aws_s3_bucket.main": "deployment-files", "aws_s3_bucket.uploads": "primary",
                       "module.pages.aws_s3_bucket.access_log": "logs"}


def test_templates_with_known_text_are_not_null(tmp_path):
    """Terraform refines a template with text around an unknown value as not null (and the JSON of a policy
    document is a string): comparing either with null is decided, as `terraform plan` decides it."""
    res = resources_in(tmp_path, "main.tf", 'resource "aws_sqs_queue" "q" {}\ndata "aws_iam_policy_document" "d" {}\n'
                       'resource "aws_s3_bucket_policy" "p" {\n'
                       '  bucket = "dlq-${aws_sqs_queue.q.name}" != null ? "set" : "unset"\n'
                       '  policy = data.aws_iam_policy_document.d.json == null ? "none" : "doc"\n}\n'
                       'resource "aws_sqs_queue" "r" {\n  name = aws_sqs_queue.q.name != null ? "a" : "b"\n}\n')
    assert res["aws_s3_bucket_policy.p"].attrs["bucket"] == "set"
    assert res["aws_s3_bucket_policy.p"].attrs["policy"] == "doc"
    assert isinstance(res["aws_sqs_queue.r"].attrs["name"], Unknown)  # a bare value known after apply may be null
