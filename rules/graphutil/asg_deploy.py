"""What CloudFormation enforces when it creates or rolls an Auto Scaling group, for the rules and fixes that
write an UpdatePolicy or CreationPolicy (aws-attribute-updatepolicy, aws-attribute-creationpolicy):

- `MinInstancesInService` must be lower than `MaxSize`, or the rolling update fails;
- `WaitOnResourceSignals` and `CreationPolicy.ResourceSignal` make CloudFormation wait for `cfn-signal`
  from each instance: without it in the instances' user data the update (or create) times out and rolls back;
- `PauseTime` is at most PT1H, a creation `Timeout` at most PT12H, and a signal `Count` above the number of
  instances launched can never be reached.
"""
from __future__ import annotations

import json
import re
from typing import Optional

from rlint.lazy_regex import lazy_regex
from rlint.model import Unknown
from rlint.rules.attrs.autoscaling import LOAD_BALANCER_NAMES, TARGET_GROUPS, TRAFFIC_SOURCES

MAX_PAUSE_SECONDS = 3600  # PauseTime: PT1H at most
MAX_CREATION_TIMEOUT_SECONDS = 12 * 3600  # ResourceSignal.Timeout: PT12H at most
LAUNCH_TEMPLATE = "AWS::EC2::LaunchTemplate"
LAUNCH_CONFIGURATION = "AWS::AutoScaling::LaunchConfiguration"

_ISO = lazy_regex(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def iso_seconds(text) -> Optional[int]:
    """Seconds in an ISO-8601 time duration as CloudFormation takes it (`PT1H30M`), None otherwise."""
    m = _ISO().match(str(text).strip()) if isinstance(text, str) else None
    if not m or not any(m.groups()):
        return None
    h, mi, s = (int(g or 0) for g in m.groups())
    return h * 3600 + mi * 60 + s


def iso_duration(seconds: int) -> str:
    """PT15M, PT1H, PT1H30M, PT45S."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s or not (h or m) else "")


def load_balanced(ctx, group) -> bool:
    """The group registers its instances with a load balancer or target group (a list from a parameter is
    unknown but present: the group is meant to be load-balanced)."""
    for attr in (TARGET_GROUPS, LOAD_BALANCER_NAMES, TRAFFIC_SOURCES):
        value = ctx.get(group, attr)
        if isinstance(value, Unknown) or (isinstance(value, list) and value):
            return True
    return False


def launch_sources(ctx, group) -> list:
    """The launch templates and launch configurations of this template that the group launches from."""
    return ctx.graph.targets(group, attr=("Properties",), type=LAUNCH_TEMPLATE) + \
        ctx.graph.targets(group, attr=("Properties",), type=LAUNCH_CONFIGURATION)


def signals_from_instances(ctx, group) -> bool:
    """Evidence that the group's instances signal CloudFormation for this group: the user data (or
    cfn-init metadata) of its launch template or configuration calls `cfn-signal` (or the SignalResource
    API) and names the group's logical id."""
    name = re.escape(group.address)
    named = re.compile(rf"(--resource|--logical-resource-id)[= ]+{name}\b|\"{name}\"")
    for source in launch_sources(ctx, group):
        raw = source.meta.get("raw") or {}
        text = json.dumps(raw, default=str)
        if ("cfn-signal" in text or "signal-resource" in text) and named.search(text):
            return True
    return False


def max_size_floor(ctx, group) -> tuple:
    """(the smallest MaxSize of any deployment or None, whether every deployment's MaxSize is bounded):
    the Fn::If branches and the parameter's AllowedValues, and the value the scan evaluated."""
    from rlint.rules.attrs.autoscaling import MAX_SIZE
    from rlint.rules.graphutil.values import as_int, int_floor

    floor = int_floor(group, MAX_SIZE)
    bounded = floor is not None
    evaluated = as_int(ctx.get(group, MAX_SIZE))
    if isinstance(evaluated, int) and not isinstance(evaluated, bool):
        floor = evaluated if floor is None else min(floor, evaluated)
    return floor, bounded


def creation_timeout(ctx, group) -> Optional[int]:
    """Seconds the group's CreationPolicy waits for signals (PT5M when ResourceSignal sets no Timeout),
    None without a ResourceSignal or when undecided."""
    from rlint.model import MISSING
    from rlint.rules.attrs.autoscaling_deploy import RESOURCE_SIGNAL, SIGNAL_TIMEOUT

    signal = ctx.get(group, RESOURCE_SIGNAL)
    if signal is MISSING or isinstance(signal, Unknown):
        return None
    return iso_seconds(ctx.get(group, SIGNAL_TIMEOUT))


def signalled_pause(ctx, group) -> Optional[int]:
    """Seconds a rolling update waits for each batch's signals (PauseTime, PT5M by default) when it waits."""
    from rlint.model import MISSING
    from rlint.rules.attrs.autoscaling_deploy import PAUSE_TIME, WAIT_ON_SIGNALS
    from rlint.rules.graphutil.values import as_bool

    if as_bool(ctx.get(group, WAIT_ON_SIGNALS)) is not True:
        return None
    pause = ctx.get(group, PAUSE_TIME)
    return 300 if pause is MISSING else iso_seconds(pause)


def grace_for(ctx, group, least: int) -> int:
    """A health check grace period no shorter than `least` nor than the time CloudFormation gives a new
    instance to signal (creation timeout, signalled pause): an instance still starting up within that
    time must not be replaced as unhealthy."""
    waits = [w for w in (creation_timeout(ctx, group), signalled_pause(ctx, group)) if w]
    return max([least, *waits])


def raise_max_size(group, size: int):
    """The change that lets `MinInstancesInService` stay below `MaxSize` (shown, never written: a larger
    maximum is a capacity and cost decision). CloudFormation takes the size as a string."""
    from rlint.rules.attrs.autoscaling import MAX_SIZE
    from rlint.rules.base import SetAttribute

    return SetAttribute(MAX_SIZE, str(size) if group.format == "cloudformation" else size)
