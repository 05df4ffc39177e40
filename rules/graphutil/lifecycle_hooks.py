"""Auto Scaling group -> whether a launch lifecycle hook holds its new instances before they go InService.

Inline hooks (`initial_lifecycle_hook` blocks, `LifecycleHookSpecificationList`) and separate hook resources
that reference the group (or name it literally, Terraform) count. With a launch hook the health check grace
period starts only after the hook completes, so a grace period of 0 is a documented choice.
"""
from __future__ import annotations

from typing import Any

from rlint.model import Resource, Unknown
from rlint.rules.attrs.autoscaling import ASG_NAME, ASG_TYPES
from rlint.rules.attrs.lifecycle_hooks import (HOOK_GROUP, HOOK_TRANSITION, INLINE_LIFECYCLE_HOOKS, LAUNCHING,
                                               LIFECYCLE_HOOK_TYPES)
from rlint.rules.base import RuleContext


def _launching(transition: Any) -> Any:
    if isinstance(transition, Unknown):
        return transition
    return isinstance(transition, str) and transition.strip() == LAUNCHING


def launch_hook(ctx: RuleContext, asg: Resource) -> Any:
    """True when a launch lifecycle hook applies to the group, False when none does, or an Unknown."""
    undecided = None
    inline = ctx.get(asg, INLINE_LIFECYCLE_HOOKS)
    if isinstance(inline, Unknown):
        undecided = inline
    key = "lifecycle_transition" if asg.format == "terraform" else "LifecycleTransition"
    for hook in inline if isinstance(inline, list) else []:
        found = _launching(hook.get(key) if isinstance(hook, dict) else hook)
        if found is True:
            return True
        undecided = undecided or (found if isinstance(found, Unknown) else None)
    name = ctx.get(asg, ASG_NAME)
    for hook in ctx.graph.in_unit_of_type(asg, *LIFECYCLE_HOOK_TYPES):
        group = ctx.get(hook, HOOK_GROUP)
        ours = ctx.graph.references(hook, asg) or (isinstance(name, str) and group == name)
        # a hook naming a group by an input may be this group's
        maybe = isinstance(group, Unknown) and not any(t.type in ASG_TYPES for t in ctx.graph.targets(hook))
        if not (ours or maybe):
            continue
        found = _launching(ctx.get(hook, HOOK_TRANSITION))
        if found is True and ours:
            return True
        if found is not False:
            undecided = undecided or (found if isinstance(found, Unknown) else group)
    return undecided if undecided is not None else False
