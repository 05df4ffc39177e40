"""rlint: a reliability linter for AWS infrastructure-as-code (Terraform and CloudFormation)."""

__version__ = "0.2.0"
