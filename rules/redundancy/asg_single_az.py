from rlint.model import Severity, Unknown
from rlint.rules.attrs.asg_az import ASG_AZS, ASG_SUBNETS
from rlint.rules.base import Rule, manual_fix
from rlint.rules.graphutil.zones import count_zones, known_zones, labels, zones_of_names, zones_of_subnets


class AsgSingleAz(Rule):
    """## What it does
    Flags Auto Scaling groups whose subnets (`vpc_zone_identifier` / `VPCZoneIdentifier`, each resolved to
    its subnet's Availability Zone) or whose `availability_zones` / `AvailabilityZones` cover fewer than
    `min_azs` (default two) distinct Availability Zones.

    ## Why is this bad?
    An Auto Scaling group only launches into the zones of its subnets. When that single zone fails, every
    instance goes down with it and the group cannot replace them anywhere else: the service is down until
    the zone recovers or someone redeploys into other subnets. A group spread over two or more zones keeps
    serving from the others and rebalances on its own.

    ## Example
    ```hcl
    resource "aws_subnet" "app_a" {
      vpc_id            = aws_vpc.main.id
      cidr_block        = "10.0.1.0/24"
      availability_zone = "eu-west-1a"
    }
    resource "aws_autoscaling_group" "web" {
      min_size            = 2
      max_size            = 4
      vpc_zone_identifier = [aws_subnet.app_a.id]
    }
    ```
    ```yaml
    AppSubnetA:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: 10.0.1.0/24
        AvailabilityZone: !Select [0, !GetAZs ""]
    WebAsg:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "4"
        VPCZoneIdentifier: [!Ref AppSubnetA]
    ```

    ## Use instead
    ```hcl
    resource "aws_subnet" "app" {
      count             = 2
      vpc_id            = aws_vpc.main.id
      cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
      availability_zone = data.aws_availability_zones.available.names[count.index]
    }
    resource "aws_autoscaling_group" "web" {
      min_size            = 2
      max_size            = 4
      vpc_zone_identifier = [aws_subnet.app[0].id, aws_subnet.app[1].id]
    }
    ```
    ```yaml
    WebAsg:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "4"
        VPCZoneIdentifier: [!Ref AppSubnetA, !Ref AppSubnetB]   # subnets in !Select [0, ...] and [1, ...]
    ```

    ## Known problems
    A subnet's zone is read from its `availability_zone` / `availability_zone_id` (CloudFormation
    `AvailabilityZone` / `AvailabilityZoneId`): a literal, `data.aws_availability_zones.<x>.names[i]` or
    `Fn::Select [i, Fn::GetAZs ...]` (same list and different index means different zones). Zone names, zone
    ids and list positions are not compared with each other, since their mapping depends on the account.
    CIDR patterns decide nothing. A list written with one subnet is one zone, whichever subnet it is; a list
    written as a member of the list (Terraform 0.11's `["${split(",", var.subnets)}"]` or `["${var.ids}"]` of a
    list variable, which 0.11 merged into the list and Terraform 0.12 and later reject) is not one subnet, and
    leaves the count undecided. The
    result is `unknown` when a subnet of a longer list comes from a variable or parameter without default, a
    module output, a data source or another stack, when a subnet sets no zone (AWS picks one), when a member
    is an empty placeholder id (`split(",", var.ids)` over `""`), or when the list is computed as a whole (a splat or `for` expression) and its subnets share one
    zone, because the list may hold only some of them. A whole `Fn::GetAZs` list counts as every zone of
    the Region. In CloudFormation, when the subnets are unknown but `AvailabilityZones` lists a single
    zone, the subnets must lie in it and the group is flagged. Groups created outside the template
    (Elastic Beanstalk, EKS managed node groups) are not seen. Single-zone groups chosen on purpose (batch
    jobs, inter-AZ transfer cost) should be suppressed with a reason, or `min_azs` set to 1.

    ## Fix safety
    Needs review: adding subnets in other zones changes where instances run; with no instance refresh the
    group rebalances by launching new instances and terminating old ones. Inter-AZ data transfer is charged.
    Make sure the security groups, NAT routes and any zonal dependencies (EBS volumes, single-AZ databases)
    exist in the new zones. rlint shows this fix without writing it (display-only): which subnets or zones to add
    is a network decision.

    ## References
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html
    - https://docs.aws.amazon.com/config/latest/developerguide/autoscaling-multiple-az.html
    - https://docs.aws.amazon.com/controltower/latest/controlreference/ec2-auto-scaling-rules.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#vpc_zone_identifier
    """

    id = "RL105"
    name = "asg-single-az"
    severity = Severity.HIGH
    resource_types = ("aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup")
    options = {"min_azs": 2}
    graph_rule = True

    def check(self, res, ctx):
        want = ctx.option("min_azs", 2)
        subnets = zones_of_subnets(ctx.graph, res, ctx.get(res, ASG_SUBNETS))
        names = zones_of_names(ctx.graph, res, ctx.get(res, ASG_AZS))
        attr, zones = (ASG_SUBNETS, subnets) if subnets is not None else (ASG_AZS, names)
        if zones is None:
            return  # neither is set: the API rejects the group
        n = count_zones(zones)
        if isinstance(n, Unknown) and subnets is not None and names is not None:
            # CloudFormation: the subnets must lie in the listed zones, so those bound the count
            bound = count_zones(names)
            if isinstance(bound, int) and bound < want:
                attr, zones, n = ASG_AZS, names, bound
        if isinstance(n, Unknown):
            yield self.unknown(res, n, at=attr, what=f"the Availability Zones of `{attr.spelling(res.format)}`")
            return
        if n >= want:
            return
        spelled = attr.spelling(res.format)
        found = known_zones(zones)
        where = f" ({labels(found)})" if found else ""
        yield self.fail(
            res,
            f"{res.address} launches into {n} Availability Zone{'s' if n != 1 else ''}{where} through "
            f"`{spelled}`: when that zone fails the group cannot replace its instances elsewhere",
            at=attr,
            fix=manual_fix(f"List {'subnets in ' if attr is ASG_SUBNETS else ''}at least {want} Availability Zones "
                           f"in `{spelled}`",
                           "which subnets (or zones) the group may use is a network decision: they must exist, "
                           "have room for the instances and reach what the instances need",
                           note="one subnet per zone; instances rebalance across the new zones"),
        )
