"""The engine's own findings, RL001 to RL004, documented like every rule (rules.md §0).

They are not rule classes: the engine reports them while reading files, running rules and applying
suppressions. RL001 and RL002 always run (the scan is incomplete without them); RL003 and RL004 are selected,
ignored and given a severity like any rule.
"""
from __future__ import annotations

from rlint.model import Severity
from rlint.rules.base import EngineRule

PARSE_ERROR = '''
## What it does
Reports a file rlint could not read or parse: invalid HCL, YAML or JSON, a duplicate key, a Terraform
block a module may not hold (a name declared twice, a second configuration of one provider and alias, a second
backend), a file that is not UTF-8, an unreadable file, a file over 50 MB, or a module or template whose
evaluation failed. The finding sits at the position of the error; the scan goes on with every other file.

## Why is this bad?
Nothing in the file was checked. A green run that skipped a broken file hides every problem in it, and
Terraform or CloudFormation would reject the same file at deploy time, so the change would fail later,
in the pipeline or in production, instead of in review.

## Example
```hcl
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true,
}
```
```yaml
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      Engine: mysql
```

## Use instead
```hcl
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
```
A file that is meant to be invalid (a test fixture, a template with placeholders) belongs under `exclude`
in `.rlint.yaml`.

## Known problems
RL001 always runs at high severity: `--ignore RL001`, `ignore: [RL001]` and `rules: {RL001: ...}` are
usage errors, because a run that cannot read a file is not a clean run. It cannot be suppressed inline
or baselined.

## Fix safety
No automatic fix: the error message and position say what to correct.

## References
- https://developer.hashicorp.com/terraform/language/syntax/configuration
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html
'''

RULE_ERROR = '''
## What it does
Reports a rule that raised an exception on a resource, naming the rule, the resource and the exception.
The other rules still run on that resource, and the rule still runs on every other resource.

## Why is this bad?
The rule's verdict on that resource is missing: a real problem there goes unreported. It is a defect in
rlint, not in your configuration; the finding makes sure the gap is seen rather than passed as green.

## Example
```hcl
resource "aws_db_instance" "orders" {
  engine = "postgres"
}
```
```yaml
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
```
A rule crashing on a value shape it did not expect reports
`RL002 RL101 failed on aws_db_instance.orders: TypeError: ...` at the resource.

## Use instead
Report the finding's message and the resource (a minimal reproduction if you can) to the rlint
maintainers, and upgrade when it is fixed. Until then the resource can be left out with `exclude` if
the finding blocks a pipeline.

## Known problems
RL002 always runs at high severity: ignoring or re-grading it is a usage error, for the same reason as
RL001.

## Fix safety
No automatic fix.

## References
- https://docs.python.org/3/tutorial/errors.html
'''

INVALID_SUPPRESSION = '''
## What it does
Reports a suppression that suppresses nothing because it is malformed: it names an unknown rule id or
name (with the nearest one), names no rule at all, is an `rlint:ignore-file` after the first block, or
has no `-- reason` while `require_reason: true` is set. A declaration that a resource's data is
recreatable (`# rlint:recreatable`, `Metadata: {rlint: {recreatable: ...}}`, docs/data-value.md) always
needs a reason: without one it declares nothing and is reported here.

## Why is this bad?
A misspelt suppression looks like an accepted risk in review but leaves the finding failing, or, worse,
the author believes a finding is handled when the rule id it meant is a different one. An unexplained
suppression is an exception nobody can re-evaluate later.

## Example
```hcl
# rlint:ignore RL1O1 -- single-AZ is fine for this test database
resource "aws_db_instance" "test" {
  engine = "postgres"
}
```
```yaml
Resources:
  Test:
    Type: AWS::RDS::DBInstance
    Metadata:
      rlint:
        ignore: [rds-singel-az]
    Properties:
      Engine: postgres
```

## Use instead
```hcl
# rlint:ignore RL101 -- single-AZ is fine for this test database
resource "aws_db_instance" "test" {
  engine = "postgres"
}
```
```yaml
Resources:
  Test:
    Type: AWS::RDS::DBInstance
    Metadata:
      rlint:
        ignore:
          - id: rds-single-az
            reason: single-AZ is fine for this test database
    Properties:
      Engine: postgres
```

## Known problems
Configured like any rule: `--ignore RL003`, `ignore: [RL003]`, `--select` and
`rules: {RL003: {severity: ...}}` apply. It cannot itself be suppressed inline.

## Fix safety
No automatic fix: the message names the nearest rule id.

## References
- https://docs.astral.sh/ruff/linter/#error-suppression
'''

UNUSED_SUPPRESSION = '''
## What it does
Reports a suppression that matched no finding: the rule it names ran and did not report the resource
(or the file, or the module call) it is attached to. Also a declaration that data is recreatable
(docs/data-value.md) that declares nothing a rule reads: it is on a resource whose data no rule judges, on
no resource at all, or it is a `stateful.recreatable` entry of the configuration that matches no such
resource (reported at its line of the configuration file) while a rule that judges data ran.

## Why is this bad?
A stale suppression outlives the problem it excused. When the configuration later regresses, the old
comment silently hides the new finding, and readers take it as a statement that the resource is
knowingly non-compliant when it no longer is.

## Example
```hcl
# rlint:ignore RL101 -- legacy single-AZ database
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Metadata:
      rlint:
        ignore: [RL101]
    Properties:
      Engine: postgres
      MultiAZ: true
```

## Use instead
```hcl
resource "aws_db_instance" "orders" {
  engine   = "postgres"
  multi_az = true
}
```
```yaml
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MultiAZ: true
```

## Known problems
Only reported when every rule the suppression names ran, so `--select` never makes a suppression look
unused. Configured like any rule: `--ignore RL004`, `ignore: [RL004]` or
`rules: {RL004: {severity: info}}` (with the default `--fail-on low`, an info finding does not fail the run).

## Fix safety
No automatic fix: delete the comment or Metadata entry.

## References
- https://docs.astral.sh/ruff/rules/unused-noqa/
'''

ENGINE_RULES = [
    EngineRule("RL001", "parse-error", Severity.HIGH,
               "A file could not be read or parsed; the position of the error is reported and the scan goes on.",
               PARSE_ERROR),
    EngineRule("RL002", "rule-error", Severity.HIGH,
               "A rule raised an exception on a resource; the other rules still ran.", RULE_ERROR),
    EngineRule("RL003", "invalid-suppression", Severity.MEDIUM,
               "A suppression names an unknown rule, or has no reason while reasons are required, or a declaration "
               "that data is recreatable has no reason; it suppresses or declares nothing.", INVALID_SUPPRESSION),
    EngineRule("RL004", "unused-suppression", Severity.LOW,
               "A suppression matched no finding, or a declaration that data is recreatable declares nothing a rule "
               "reads.", UNUSED_SUPPRESSION),
]
