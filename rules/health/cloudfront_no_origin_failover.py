from rlint.model import Severity, Unknown
from rlint.rules.attrs.cloudfront import DISTRIBUTION_ENABLED, DISTRIBUTION_STAGING, DISTRIBUTION_TYPES, ORIGIN_GROUPS
from rlint.rules.base import Rule, manual_fix
from rlint.rules.graphutil.cloudfront import distribution, placeholder_domain
from rlint.rules.graphutil.values import as_bool


def _groups_spelling(res) -> str:
    return ORIGIN_GROUPS.spelling(res.format).removesuffix(".Items")  # CloudFormation wraps the list in Items


def _read_only_origins(model) -> list:
    """The origins the read-only behaviors target, in origin order, when other behaviors allow writes and every
    behavior is known; else [] (the message then names every origin)."""
    behaviors = model.behaviors
    if model.behaviors_unknown is not None or not any(b.read_only is False for b in behaviors):
        return []
    if any(isinstance(b.read_only, Unknown) for b in behaviors):
        return []
    targets = {b.target for b in behaviors if b.read_only is True}
    # a viewer-request function may send a read-only behavior elsewhere: its origin is not the one written
    if any(b.runtime_origin is not False for b in behaviors if b.read_only is True) or \
            not all(isinstance(t, str) and t in model.origins for t in targets):
        return []
    return [o for o in model.origins if o in targets]


class CloudfrontNoOriginFailover(Rule):
    """## What it does
    Flags CloudFront distributions (`aws_cloudfront_distribution` / `AWS::CloudFront::Distribution`) that
    define no origin group (`origin_group` blocks / `OriginGroups`), so no cache behavior can fail over from
    one origin to another.

    ## Why is this bad?
    On a cache miss CloudFront asks exactly one origin. When that origin is down, times out or answers with
    errors (a Regional outage of the bucket's or load balancer's Region, a failed deployment), every request
    that is not already cached fails, and viewers see errors until the origin recovers. An origin group pairs
    a primary with a secondary origin (for example a replica bucket in another Region): CloudFront sends a
    GET, HEAD or OPTIONS request to the secondary when the primary cannot be reached or answers with one of
    the configured status codes.

    ## Example
    ```hcl
    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      origin {
        origin_id   = "primary"
        domain_name = aws_s3_bucket.primary.bucket_regional_domain_name
      }
      default_cache_behavior {
        target_origin_id       = "primary"
        allowed_methods        = ["GET", "HEAD"]
        cached_methods         = ["GET", "HEAD"]
        viewer_protocol_policy = "redirect-to-https"
      }
    }
    ```
    ```yaml
    Site:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Enabled: true
          Origins:
            - Id: primary
              DomainName: !GetAtt PrimaryBucket.RegionalDomainName
              S3OriginConfig: {}
          DefaultCacheBehavior:
            TargetOriginId: primary
            ViewerProtocolPolicy: redirect-to-https
    ```

    ## Use instead
    ```hcl
    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      origin {
        origin_id   = "primary"
        domain_name = aws_s3_bucket.primary.bucket_regional_domain_name
      }
      origin {
        origin_id   = "replica"
        domain_name = aws_s3_bucket.replica.bucket_regional_domain_name   # another Region
      }
      origin_group {
        origin_id = "site"
        failover_criteria {
          status_codes = [500, 502, 503, 504]
        }
        member { origin_id = "primary" }
        member { origin_id = "replica" }
      }
      default_cache_behavior {
        target_origin_id       = "site"
        allowed_methods        = ["GET", "HEAD"]
        cached_methods         = ["GET", "HEAD"]
        viewer_protocol_policy = "redirect-to-https"
      }
    }
    ```
    ```yaml
    Site:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Enabled: true
          Origins:
            - Id: primary
              DomainName: !GetAtt PrimaryBucket.RegionalDomainName
              S3OriginConfig: {}
            - Id: replica
              DomainName: !GetAtt ReplicaBucket.RegionalDomainName   # another Region
              S3OriginConfig: {}
          OriginGroups:
            Quantity: 1
            Items:
              - Id: site
                FailoverCriteria:
                  StatusCodes: {Quantity: 4, Items: [500, 502, 503, 504]}
                Members:
                  Quantity: 2
                  Items: [{OriginId: primary}, {OriginId: replica}]
          DefaultCacheBehavior:
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
    ```

    ## Known problems
    Not flagged: a disabled distribution (`enabled` / `Enabled` false), a continuous-deployment staging
    distribution (`staging` / `Staging` true: it mirrors its primary, which is checked), a distribution
    whose every cache behavior allows POST, PUT, PATCH or DELETE: CloudFront rejects an origin group on such a
    behavior, so there is nothing to fix in the distribution (the writes need their own failover, such as
    Route 53 failover records in front of the origins), and one whose every origin is a placeholder in the
    reserved top-level domain `.invalid` (RFC 6761), which never resolves: edge functions answer its viewers
    (a redirect-only distribution), no origin is ever asked, and there is nothing to fail over. When some
    behaviors allow writes and the others are read-only, the finding names only the origins of the read-only
    ones, the only ones a group can serve (every origin when a viewer-request function may switch them). A
    distribution with a single origin is still flagged, a single S3 bucket included: a bucket lives in one Region, and a replica bucket in a second Region behind
    an origin group is AWS's documented remedy; suppress the finding with a reason when one Region is
    accepted. An origin whose domain name already fails over on its own (a Route 53 failover or latency
    record) is not recognised. Whether the distribution is enabled, its origin groups (a dynamic block over an
    unknown collection, an `Fn::If`) or, when only read-write behaviors are known, a behavior's allowed
    methods coming from a variable or parameter without default give `unknown`, and so does a `staging` /
    `Staging` flag that cannot be decided. Whether an existing group is used is RL211's concern.

    ## Fix safety
    Needs review, and not mechanical: failover needs a second origin that serves the same content, such as a
    bucket in another Region kept in sync by S3 replication (storage, replication and request costs) or a
    standby application stack. Only read-only behaviors (GET, HEAD, OPTIONS) can target the group. While the
    primary fails, each cache miss waits for the primary's connection attempts and timeouts before the
    secondary answers; lower `connection_attempts` / `ConnectionAttempts` and the timeouts to fail over
    faster. rlint shows this fix without writing it (display-only).

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-origingroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#origin-group-arguments
    """

    id = "RL210"
    name = "cloudfront-no-origin-failover"
    severity = Severity.LOW
    resource_types = DISTRIBUTION_TYPES
    checkov_ids = ("CKV_AWS_310",)

    def check(self, res, ctx):
        model = distribution(ctx, res)
        staging = as_bool(ctx.get(res, DISTRIBUTION_STAGING))
        if model.groups or staging is True:
            return
        enabled = as_bool(ctx.get(res, DISTRIBUTION_ENABLED))
        if enabled is False:
            return
        if model.domains and model.origins_unknown is None and all(placeholder_domain(d) for d in model.domains):
            return  # no origin can answer: viewers are answered at the edge, there is nothing to fail over
        read_only = [b.read_only for b in model.behaviors]
        if not any(r is True for r in read_only):
            # every behavior known allows writes: CloudFront would reject an origin group on each of them
            undecided = next((r for r in read_only if isinstance(r, Unknown)), model.behaviors_unknown)
            if undecided is not None:
                yield self.unknown(res, undecided, what="whether a cache behavior could use an origin group")
                return
            if model.behaviors:
                return
        for why, what in ((model.groups_unknown, f"`{_groups_spelling(res)}`"),
                          (enabled if isinstance(enabled, Unknown) else None,
                           f"`{DISTRIBUTION_ENABLED.spelling(res.format)}`"),
                          (staging if isinstance(staging, Unknown) else None,
                           f"`{DISTRIBUTION_STAGING.spelling(res.format)}`")):
            if why is not None:
                yield self.unknown(res, why, what=what)
                return
        yield self.fail(res, self._message(res, model), at=ORIGIN_GROUPS, fix=manual_fix(
            "Add a second origin that serves the same content and an origin group of both, and target the group "
            "from the read-only cache behaviors",
            "the second origin must already serve the same content (a replicated bucket in another Region, a "
            "standby endpoint); rlint cannot create or choose it",
            note="needs a replica origin (for example a bucket in another Region with replication)"))

    @staticmethod
    def _message(res, model) -> str:
        spelled = _groups_spelling(res)
        named = [f'"{o}"' for o in model.origins if isinstance(o, str)]
        readable = _read_only_origins(model)
        if len(model.origins) == 1 and model.origins_unknown is None:
            origins = f"its only origin{' ' + named[0] if named else ''} has no secondary"
        elif readable:
            # the origins of read-write behaviors cannot be grouped: naming them would ask for the impossible
            quoted = ", ".join(f'"{o}"' for o in readable)
            origins = (f"the origin{'s' if len(readable) > 1 else ''} its read-only cache behaviors use ({quoted}) "
                       f"{'have' if len(readable) > 1 else 'has'} no secondary (the other behaviors allow writes, "
                       f"which an origin group cannot serve)")
        else:
            origins = f"none of its origins{' (' + ', '.join(named) + ')' if named else ''} is paired with a secondary"
        return (f"{res.address} has no origin group (`{spelled}` not set): {origins}, so cache misses fail while "
                f"their origin is down")
