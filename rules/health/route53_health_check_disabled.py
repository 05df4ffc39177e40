from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import HEALTH_CHECK_DISABLED, RECORD_TYPES
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.values import as_bool


class Route53HealthCheckDisabled(Rule):
    """## What it does
    Flags Route 53 health checks that are disabled (`disabled = true`) while a record uses them: a record's
    `health_check_id` references the check, directly or through a calculated health check that lists it
    among its children (`child_healthchecks`). The finding sits on the health check, naming the records that
    rely on it. Terraform only: CloudFormation's `HealthCheckConfig` has no `Disabled` property, so a
    template cannot disable a check.

    ## Why is this bad?
    Route 53 considers a disabled health check healthy, always. The failover, weighted, latency or
    multivalue record that uses it keeps answering with its endpoint after the endpoint dies: failover never
    happens and clients keep being sent to a dead target. A check disabled during maintenance and never
    turned back on is the usual story, found out in the next outage.

    ## Example
    ```hcl
    resource "aws_route53_health_check" "primary" {
      fqdn          = "primary.example.com"
      port          = 443
      type          = "HTTPS"
      resource_path = "/healthz"
      disabled      = true
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_health_check" "primary" {
      fqdn          = "primary.example.com"
      port          = 443
      type          = "HTTPS"
      resource_path = "/healthz"
    }
    ```

    ## Known problems
    A disabled health check that no record in the scan uses is not flagged (it may serve a record in another
    stack, or an alarm). A record that names a health check by a literal id or a variable cannot be followed,
    so such a check is not linked to it. A `disabled` value from a variable without default gives `unknown`
    when a record uses the check. For a child of a calculated check, whether
    the parent also stays healthy depends on its threshold; the child is flagged either way, as it always
    counts as healthy.

    ## Fix safety
    Needs review: once enabled, the check can turn unhealthy and move traffic (failover to the secondary,
    weighted records dropping out). Make sure it passes against the healthy endpoint before enabling it.

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
    - https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-healthcheck-healthcheckconfig.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_health_check#disabled
    """

    id = "RL207"
    name = "route53-health-check-disabled"
    severity = Severity.MEDIUM
    resource_types = ("aws_route53_health_check",)  # CloudFormation cannot disable a health check
    graph_rule = True

    def check(self, res, ctx):
        users = self._records_using(ctx, res)
        if not users:
            return
        disabled = as_bool(ctx.get(res, HEALTH_CHECK_DISABLED))
        if isinstance(disabled, Unknown):
            yield self.unknown(res, disabled, at=HEALTH_CHECK_DISABLED)
            return
        if disabled is not True:
            return
        spelled = HEALTH_CHECK_DISABLED.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} is disabled (`{spelled}` is {describe(True)}) but used by {', '.join(users)}: "
            f"Route 53 treats a disabled check as always healthy and never routes away from its endpoint",
            at=HEALTH_CHECK_DISABLED,
            fix=Fix(f"Set `{spelled}` to false", (SetAttribute(HEALTH_CHECK_DISABLED, False),), safety="review",
                    note="once enabled, a failing check moves traffic"),
        )

    @staticmethod
    def _records_using(ctx, check) -> list:
        """Labels of the records that use the check, directly or through a calculated parent."""
        found = []
        for holder in [check] + ctx.graph.referrers(check, type=check.type):
            for rec in ctx.graph.referrers(holder):
                if rec.type in RECORD_TYPES:
                    label = rec.address if holder is check else f"{rec.address} (through {holder.address})"
                    if label not in found:
                        found.append(label)
        return found
