"""Lambda functions, their asynchronous-invocation settings and event source mappings."""
from rlint.rules.base import Attr

FUNCTION_NAME = Attr("function_name", "function_name", "Properties.FunctionName")
# The function timeout defaults to 3 seconds in both formats.
TIMEOUT = Attr("timeout", "timeout", "Properties.Timeout", tf_default=3, cfn_default=3)
DLQ_TARGET = Attr("dead_letter_target", "dead_letter_config.target_arn", "Properties.DeadLetterConfig.TargetArn")
ENVIRONMENT = Attr("environment_variables", "environment.variables", "Properties.Environment.Variables")
# aws_lambda_function_event_invoke_config / AWS::Lambda::EventInvokeConfig
ON_FAILURE_DESTINATION = Attr("on_failure_destination", "destination_config.on_failure.destination",
                              "Properties.DestinationConfig.OnFailure.Destination")
# aws_lambda_event_source_mapping / AWS::Lambda::EventSourceMapping
EVENT_SOURCE_ARN = Attr("event_source_arn", "event_source_arn", "Properties.EventSourceArn")
# aws_lambda_permission: the resource (a rule, a topic, a bucket) allowed to invoke. Terraform only for now:
# rlint's SAM expansion does not write the source ARN the transform gives API, HTTP API, Cognito, IoT and Logs
# events' permissions, so reading it in CloudFormation would judge SAM functions on a value rlint lacks.
PERMISSION_SOURCE_ARN = Attr("permission_source_arn", "source_arn", None)

FUNCTION_TYPES = ("aws_lambda_function", "AWS::Lambda::Function")
INVOKE_CONFIG_TYPES = ("aws_lambda_function_event_invoke_config", "AWS::Lambda::EventInvokeConfig")
MAPPING_TYPES = ("aws_lambda_event_source_mapping", "AWS::Lambda::EventSourceMapping")

__all__ = ["FUNCTION_NAME", "TIMEOUT", "DLQ_TARGET", "ENVIRONMENT", "ON_FAILURE_DESTINATION", "EVENT_SOURCE_ARN",
           "PERMISSION_SOURCE_ARN",
           "FUNCTION_TYPES", "INVOKE_CONFIG_TYPES", "MAPPING_TYPES"]
