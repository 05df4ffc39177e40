"""Recovery of the compute entry points (stateless: only an RTO) for the three scenarios.

AZ failure: a group or service spread over two or more AZs keeps serving (RL105 decides the spread of an
Auto Scaling group); one in a single AZ is down until the AZ returns or the configuration lists another.
Region failure: the traffic path of traffic.py. Deletion: the configuration is applied again.
"""
from __future__ import annotations

from rlint.model import Resource, Unknown
from rlint.rules.base import Attr, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, LOST, REGION, Estimate, Option
from rlint.rules.graphutil.zones import count_zones, zones_of_subnets

ECS_SUBNETS = Attr("ecs_subnets", "network_configuration.subnets",
                   "Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets")


def _az(ctx: RuleContext, res: Resource) -> Estimate:
    est = Estimate(AZ)
    if res.type in ("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function"):
        est.options.append(Option("Lambda", LOST, F.LAMBDA_AZS.seconds, F.LAMBDA_AZS.says, F.LAMBDA_AZS.source))
        return est
    spread = Option("spread over AZs", LOST, F.SPREAD_COMPUTE.seconds, F.SPREAD_COMPUTE.says,
                    F.SPREAD_COMPUTE.source)
    if res.type in ("aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup"):
        from rlint.rules.redundancy.asg_single_az import AsgSingleAz

        verdicts = list(AsgSingleAz().check(res, ctx))  # RL105 decides the group's AZ spread
        zones = 2 if not verdicts else (Unknown(verdicts[0].message) if verdicts[0].outcome.value == "unknown"
                                        else 1)
    else:
        found = zones_of_subnets(ctx.graph, res, ctx.get(res, ECS_SUBNETS))
        zones = Unknown("the service's placement is its cluster's") if found is None else count_zones(found)
    if isinstance(zones, Unknown):
        est.maybe.append((spread, zones))
    elif zones >= 2:
        est.options.append(spread)
    else:
        est.note = "it runs in one AZ: down until the AZ returns or the configuration lists another"
    return est


def entry_estimates(ctx: RuleContext, entry, traffic) -> dict:
    """scenario -> Estimate (RTO only; the RPO of a stateless entry point is not estimated)."""
    region = Estimate(REGION)
    if traffic.option is not None:
        region.options.append(traffic.option)
    deletion = Estimate(DELETION, [Option("the configuration", LOST, F.REAPPLY.seconds, F.REAPPLY.says,
                                          F.REAPPLY.source)])
    return {AZ: _az(ctx, entry.res), REGION: region, DELETION: deletion}


__all__ = ["entry_estimates"]
