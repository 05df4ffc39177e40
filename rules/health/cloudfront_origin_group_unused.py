from rlint.model import Severity, Unknown
from rlint.rules.attrs.cloudfront import DEFAULT_TARGET, DISTRIBUTION_TYPES
from rlint.rules.base import Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.cloudfront import distribution


class CloudfrontOriginGroupUnused(Rule):
    """## What it does
    Flags CloudFront distributions with an origin group (`origin_group` / `OriginGroups`) that no cache
    behavior targets: neither the default cache behavior nor any ordered one (`ordered_cache_behavior` /
    `CacheBehaviors`) names the group's id in `target_origin_id` / `TargetOriginId`. One finding per
    distribution names every unused group.

    ## Why is this bad?
    Failover happens only for requests routed to the group. A group that no behavior targets does nothing:
    the behaviors still send every cache miss to a single origin (often the group's own primary, named
    directly), so an outage of that origin fails those requests although a secondary was set up and paid
    for. The configuration reads as protected while it is not, which is worse than having no group.

    ## Example
    ```hcl
    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      origin_group {
        origin_id = "site"
        failover_criteria {
          status_codes = [500, 502, 503, 504]
        }
        member { origin_id = "primary" }
        member { origin_id = "replica" }
      }
      default_cache_behavior {
        target_origin_id = "primary"    # the group's primary, not the group
        allowed_methods  = ["GET", "HEAD"]
        cached_methods   = ["GET", "HEAD"]
      }
    }
    ```
    ```yaml
    Site:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          OriginGroups:
            Quantity: 1
            Items:
              - Id: site
                Members:
                  Quantity: 2
                  Items: [{OriginId: primary}, {OriginId: replica}]
          DefaultCacheBehavior:
            TargetOriginId: primary
    ```

    ## Use instead
    ```hcl
    default_cache_behavior {
      target_origin_id = "site"
      allowed_methods  = ["GET", "HEAD"]
      cached_methods   = ["GET", "HEAD"]
    }
    ```
    ```yaml
    DefaultCacheBehavior:
      TargetOriginId: site
    ```

    ## Known problems
    A behavior whose target comes from a variable or parameter without default, or behaviors that cannot be
    listed (a dynamic block over an unknown collection, an `Fn::If` on an undecidable condition), give
    `unknown`, and so does a behavior with a viewer-request CloudFront Function: such a function can switch
    the origin of a request at run time by id, which a static reading cannot follow. A group whose own id
    cannot be decided is not checked. A distribution without any origin group is RL210's concern.

    ## Fix safety
    Needs review: pointing a behavior at the group routes its cache misses through the group, so the
    secondary must serve the same content, and the behavior must allow only GET, HEAD and OPTIONS (CloudFront
    rejects an origin group on a behavior that allows POST, PUT, PATCH or DELETE). When the default cache
    behavior targets the group's primary directly and is read-only, the fix retargets it to the group;
    otherwise pick the behaviors by hand, or remove the unused group (that fix is display-only).

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/helper-functions-origin-modification.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-cachebehavior.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#target_origin_id
    """

    id = "RL211"
    name = "cloudfront-origin-group-unused"
    severity = Severity.MEDIUM
    resource_types = DISTRIBUTION_TYPES

    def check(self, res, ctx):
        model = distribution(ctx, res)
        targets = {b.target for b in model.behaviors if isinstance(b.target, str)}
        unused = [g for g in model.groups if isinstance(g.id, str) and g.id not in targets]
        if not unused:
            return
        undecided = self._undecided(model)
        if undecided is not None:
            why, what = undecided
            yield self.unknown(res, why, what=what, path=unused[0].path)
            return
        spelled = DEFAULT_TARGET.spelling(res.format).rsplit(".", 1)[-1]
        names = ", ".join(f'"{g.id}"' for g in unused)
        plural = "s" if len(unused) > 1 else ""
        used = ", ".join(sorted(f'"{t}"' for t in targets)) or "none"
        yield self.fail(
            res,
            f"{res.address} defines origin group{plural} {names} but no cache behavior targets "
            f"{'them' if plural else 'it'} (`{spelled}` values: {used}): failover is set up but never used",
            path=unused[0].path, fix=self._fix(res, model, unused))

    @staticmethod
    def _undecided(model):
        for b in model.behaviors:
            if isinstance(b.target, Unknown):
                return b.target, f"the target of {b.label}"
        if model.behaviors_unknown is not None:
            return model.behaviors_unknown, "the cache behaviors"
        for b in model.behaviors:
            if isinstance(b.runtime_origin, Unknown):
                return b.runtime_origin, f"the function associations of {b.label}"
            if b.runtime_origin is True:
                return Unknown(f"a viewer-request CloudFront Function on {b.label} can select the origin at run "
                               "time"), "whether a request reaches the origin group"
        return None

    @staticmethod
    def _fix(res, model, unused):
        default = next((b for b in model.behaviors if b.is_default), None)
        group = unused[0]
        if len(unused) == 1 and default is not None and default.read_only is True and group.members \
                and default.target == group.members[0]:
            return Fix(f'Point the default cache behavior at the origin group "{group.id}"',
                       (SetAttribute(DEFAULT_TARGET, group.id),), safety="review",
                       note="cache misses go through the group: the secondary must serve the same content")
        return manual_fix(f'Point the read-only cache behaviors (GET, HEAD, OPTIONS) at the origin group "{group.id}", '
                          "or remove the group",
                          "which behaviors should fail over is a choice: only read-only ones may target a group, "
                          "and the group's secondary must serve what each of them serves",
                          note="behaviors that allow writes cannot target an origin group")
