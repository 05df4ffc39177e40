"""Deletion and replacement safety (RL4xx): what happens to data when a stack deletes or replaces it."""
from .cfn_stateful_deleted_on_replace import CfnStatefulDeletedOnReplace
from .cfn_stateful_deleted_with_stack import CfnStatefulDeletedWithStack

RULES = [CfnStatefulDeletedWithStack, CfnStatefulDeletedOnReplace]
