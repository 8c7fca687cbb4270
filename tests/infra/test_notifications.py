"""Notifications as CloudFormation: the schedule, the evaluator and its index, the deliveries queue,
the sender and what it may send, the bus, and the alarms that watch them."""

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from infra.notifications import EVALUATOR_HANDLER, SENDER_HANDLER
from infra.stages import base_environment, stage_settings
from shared.data.table_definition import GLOBAL_INDEXES
from shared.routes import ROUTES
from tests.infra.conftest import TEST_MAIL_DOMAIN
from tests.infra.test_stack import as_list, logical_id, policy_statements, resources

pytestmark = pytest.mark.slow
FOURTEEN_DAYS = 14 * 24 * 3600


def props(template: Template, stack: Stack, construct: Any) -> dict[str, Any]:
    resource = template.to_json()["Resources"][logical_id(stack, construct)]
    return resource["Properties"]  # type: ignore[no-any-return]


def arn_of(stack: Stack, construct: Any) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id(stack, construct), "Arn"]}


def ref(stack: Stack, construct: Any) -> dict[str, Any]:
    return {"Ref": logical_id(stack, construct)}


def statements_of(stack: Stack, template: Template, function: Any) -> list[dict[str, Any]]:
    role = logical_id(stack, function.role)
    return [statement for owner, statement in policy_statements(template) if owner == role]


def granted(statements: list[dict[str, Any]], action: str, effect: str = "Allow") -> list[Any]:
    """The resources ``action`` is granted (or denied) on by ``statements``."""
    return [
        resource
        for statement in statements
        if statement["Effect"] == effect and action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    ]


def environment(template: Template, stack: Stack, function: Any) -> dict[str, Any]:
    return props(template, stack, function)["Environment"]["Variables"]  # type: ignore[no-any-return]


def test_the_schedule_runs_the_evaluator_every_five_minutes_with_the_scheduled_time(dev: tuple) -> None:
    _, stack, template = dev
    notifications = stack.notifications
    [schedule] = resources(template, "AWS::Scheduler::Schedule").values()
    schedule = schedule["Properties"]
    assert schedule["ScheduleExpression"] == "rate(5 minutes)"
    assert schedule["State"] == "ENABLED"
    target = schedule["Target"]
    assert target["Arn"] == arn_of(stack, notifications.evaluator)
    assert json.loads(target["Input"]) == {"time": "<aws.scheduler.scheduled-time>"}
    assert target["Input"] == '{"time":"<aws.scheduler.scheduled-time>"}'
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 300}
    assert target["DeadLetterConfig"] == {"Arn": arn_of(stack, notifications.schedule_dead_letters)}
    # The scheduler's role may invoke the evaluator and fill the dead-letter queue, nothing else.
    role = next(
        lid
        for lid, role in resources(template, "AWS::IAM::Role").items()
        if {"Fn::GetAtt": [lid, "Arn"]} == target["RoleArn"]
    )
    actions = {
        action
        for owner, statement in policy_statements(template)
        if owner == role
        for action in as_list(statement["Action"])
    }
    assert actions == {"lambda:InvokeFunction", "sqs:SendMessage"}


def test_the_evaluator_runs_long_enough_with_the_route_functions_code_and_environment(dev: tuple) -> None:
    _, stack, template = dev
    evaluator = props(template, stack, stack.notifications.evaluator)
    assert evaluator["Handler"] == EVALUATOR_HANDLER
    assert (evaluator["Runtime"], evaluator["Architectures"]) == ("python3.13", ["arm64"])
    assert (evaluator["MemorySize"], evaluator["Timeout"]) == (1024, 300)
    assert "ReservedConcurrentExecutions" not in evaluator  # overlapping runs are safe (the code)
    route_function = props(template, stack, stack.functions.by_route[ROUTES[3]])
    assert evaluator["Code"] == route_function["Code"]
    assert evaluator["Layers"] == route_function["Layers"]  # the core layer
    assert "LogGroup" in evaluator["LoggingConfig"]
    variables = evaluator["Environment"]["Variables"]
    expected = base_environment("evaluate", stage_settings("dev"), "table")
    assert set(variables) == {*expected, "DELIVERY_QUEUE_URL", "EVENT_BUS_NAME"}
    assert variables["TABLE_NAME"] == ref(stack, stack.table)
    assert variables["DELIVERY_QUEUE_URL"] == ref(stack, stack.notifications.deliveries)
    assert variables["EVENT_BUS_NAME"] == ref(stack, stack.notifications.bus)
    assert variables["POWERTOOLS_SERVICE_NAME"] == "servicecycle"


def index_arn(stack: Stack, index: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [arn_of(stack, stack.table), f"/index/{index}"]]}


def test_the_evaluator_queries_the_due_index_and_no_other(dev: tuple) -> None:
    _, stack, template = dev
    statements = statements_of(stack, template, stack.notifications.evaluator)
    table = arn_of(stack, stack.table)
    # The table too: a grant whose window ended reads the asset's tasks and assignments.
    assert granted(statements, "dynamodb:Query") == [
        index_arn(stack, "GSI5"),
        index_arn(stack, "GSI6"),
        table,
    ]
    on_table = ("GetItem", "BatchGetItem", "UpdateItem", "PutItem", "ConditionCheckItem", "DeleteItem")
    for action in on_table:
        assert granted(statements, f"dynamodb:{action}") == [table], action
    dynamodb = {a for s in statements for a in as_list(s["Action"]) if a.startswith("dynamodb:")}
    assert dynamodb == {f"dynamodb:{a}" for a in ("Query", *on_table)}
    for other in set(GLOBAL_INDEXES) - {"GSI5", "GSI6"}:
        assert f"/index/{other}" not in json.dumps(statements)
    assert granted(statements, "sqs:SendMessage") == [arn_of(stack, stack.notifications.deliveries)]
    assert granted(statements, "events:PutEvents") == [arn_of(stack, stack.notifications.bus)]
    assert granted(statements, "logs:PutLogEvents") == [
        arn_of(stack, stack.notifications.evaluator.log_group)
    ]


def test_route_functions_cannot_read_the_due_index(dev: tuple) -> None:
    _, stack, template = dev
    for route, function in stack.functions.by_route.items():
        statements = json.dumps(statements_of(stack, template, function))
        assert "GSI5" not in statements, route.name
        if "Query" in route.dynamodb:  # the other indexes stay theirs
            assert all(f"/index/{index}" in statements for index in set(GLOBAL_INDEXES) - {"GSI5"}), (
                route.name
            )


def test_the_sender_takes_ten_deliveries_at_a_time_five_at_once(dev: tuple) -> None:
    _, stack, template = dev
    notifications = stack.notifications
    sender = props(template, stack, notifications.sender)
    assert sender["Handler"] == SENDER_HANDLER
    assert (sender["Runtime"], sender["Architectures"]) == ("python3.13", ["arm64"])
    assert (sender["MemorySize"], sender["Timeout"]) == (256, 30)
    variables = sender["Environment"]["Variables"]
    assert set(base_environment("send", stage_settings("dev"), "t")) < set(variables)
    assert variables["MAIL_FROM"] == "notifications@mail.example.com"
    assert variables["SES_CONFIGURATION_SET"] == ref(stack, notifications.configuration_set)
    assert variables["DELIVERY_QUEUE_URL"] == ref(stack, notifications.deliveries)
    [mapping] = resources(template, "AWS::Lambda::EventSourceMapping").values()
    mapping = mapping["Properties"]
    assert mapping["FunctionName"] == ref(stack, notifications.sender)
    assert mapping["EventSourceArn"] == arn_of(stack, notifications.deliveries)
    assert mapping["BatchSize"] == 10
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 5}


def test_the_deliveries_queue_hides_a_batch_six_sender_timeouts_and_gives_up_after_five(dev: tuple) -> None:
    _, stack, template = dev
    notifications = stack.notifications
    queue = props(template, stack, notifications.deliveries)
    assert queue["VisibilityTimeout"] == 180
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": arn_of(stack, notifications.deliveries_dead_letters),
        "maxReceiveCount": 5,
    }
    for dead_letters in (notifications.deliveries_dead_letters, notifications.schedule_dead_letters):
        assert props(template, stack, dead_letters)["MessageRetentionPeriod"] == FOURTEEN_DAYS
    queues = resources(template, "AWS::SQS::Queue")
    assert len(queues) == 3
    assert all(queue["Properties"]["SqsManagedSseEnabled"] is True for queue in queues.values())
    refused_without_tls = {
        queue["Ref"]
        for policy in resources(template, "AWS::SQS::QueuePolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
        and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for queue in policy["Properties"]["Queues"]
    }
    assert refused_without_tls == set(queues)


def test_the_sender_may_text_phone_numbers_but_publish_to_no_topic(dev: tuple) -> None:
    _, stack, template = dev
    statements = statements_of(stack, template, stack.notifications.sender)
    assert granted(statements, "sns:Publish") == ["*"]
    assert granted(statements, "sns:Publish", "Deny") == [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sns:*:*:*"]]}
    ]
    table = arn_of(stack, stack.table)
    for action in ("GetItem", "BatchGetItem", "PutItem", "UpdateItem"):
        assert granted(statements, f"dynamodb:{action}") == [table], action
    assert "/index/" not in json.dumps(statements) and "dynamodb:Query" not in json.dumps(statements)
    assert arn_of(stack, stack.notifications.deliveries) in granted(statements, "sqs:ChangeMessageVisibility")
    # No other function may publish to SNS or send mail.
    sender_role = logical_id(stack, stack.notifications.sender.role)
    others = [s for role, s in policy_statements(template) if role != sender_role]
    assert not [s for s in others if {"sns:Publish", "ses:SendEmail"} & set(as_list(s["Action"]))]


def test_the_sender_mails_from_the_stage_identity_with_its_configuration_set_only(dev: tuple) -> None:
    _, stack, template = dev
    notifications = stack.notifications
    statements = statements_of(stack, template, notifications.sender)
    identity_arn, configuration_set_arn = granted(statements, "ses:SendEmail")
    assert json.dumps(identity_arn).endswith(
        json.dumps([":identity/", ref(stack, notifications.identity)])[1:] + "]}"
    )
    assert json.dumps(configuration_set_arn).endswith(
        json.dumps([":configuration-set/", ref(stack, notifications.configuration_set)])[1:] + "]}"
    )
    assert [a for s in statements for a in as_list(s["Action"]) if a.startswith("ses:")] == ["ses:SendEmail"]
    identity = props(template, stack, notifications.identity)
    assert identity["EmailIdentity"] == "mail.example.com"
    assert identity["ConfigurationSetAttributes"] == {
        "ConfigurationSetName": ref(stack, notifications.configuration_set)
    }


def test_production_mails_from_its_own_domain(prod: tuple) -> None:
    _, stack, template = prod
    assert props(template, stack, stack.notifications.identity)["EmailIdentity"] == TEST_MAIL_DOMAIN
    assert (
        environment(template, stack, stack.notifications.sender)["MAIL_FROM"]
        == f"notifications@{TEST_MAIL_DOMAIN}"
    )


def test_integration_events_go_to_the_stage_bus(dev: tuple, prod: tuple) -> None:
    for stage, (_, _, template) in (("dev", dev), ("prod", prod)):
        [bus] = resources(template, "AWS::Events::EventBus").values()
        assert bus["Properties"]["Name"] == f"servicecycle-{stage}"
        assert template.find_outputs("EventBusName")


def alarm(stack: Stack, template: Template, name: str) -> dict[str, Any]:
    found = props(template, stack, stack.monitoring.node.find_child(name))
    assert found["AlarmActions"] == [ref(stack, stack.monitoring.topic)]
    return found


def test_dead_letters_and_notification_function_errors_raise_alarms(dev: tuple) -> None:
    _, stack, template = dev
    notifications = stack.notifications
    for name, queue in (
        ("DeliveriesDeadLetters", notifications.deliveries_dead_letters),
        ("ScheduleDeadLetters", notifications.schedule_dead_letters),
    ):
        found = alarm(stack, template, name)
        assert (found["Namespace"], found["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
        assert found["Dimensions"] == [
            {"Name": "QueueName", "Value": {"Fn::GetAtt": [logical_id(stack, queue), "QueueName"]}}
        ]
        assert (found["Threshold"], found["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    for name, function in (
        ("EvaluatorErrors", notifications.evaluator),
        ("SenderErrors", notifications.sender),
    ):
        found = alarm(stack, template, name)
        assert (found["Namespace"], found["MetricName"], found["Statistic"]) == (
            "AWS/Lambda",
            "Errors",
            "Sum",
        )
        assert found["Dimensions"] == [{"Name": "FunctionName", "Value": ref(stack, function)}]
        assert (found["Threshold"], found["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_a_backlog_for_three_runs_and_a_delivery_of_unknown_fate_raise_alarms(dev: tuple) -> None:
    _, stack, template = dev
    # Powertools names the service dimension after POWERTOOLS_SERVICE_NAME.
    service = environment(template, stack, stack.notifications.evaluator)["POWERTOOLS_SERVICE_NAME"]
    backlog = alarm(stack, template, "Backlog")
    assert (backlog["Namespace"], backlog["MetricName"]) == ("ServiceCycle", "Backlog")
    assert backlog["Dimensions"] == [{"Name": "service", "Value": service}]
    assert backlog["Period"] == 300  # one run a period
    assert (backlog["EvaluationPeriods"], backlog["DatapointsToAlarm"]) == (3, 3)
    assert (backlog["Threshold"], backlog["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    unknown = alarm(stack, template, "DeliveryUnknown")
    assert (unknown["Namespace"], unknown["MetricName"]) == ("ServiceCycle", "DeliveryUnknown")
    assert unknown["Dimensions"] == [{"Name": "service", "Value": service}]
    assert (unknown["Threshold"], unknown["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_the_sms_spend_raises_an_alarm_at_80_percent_of_the_sandbox_limit(dev: tuple) -> None:
    _, stack, template = dev
    spend = alarm(stack, template, "SmsSpend")
    assert (spend["Namespace"], spend["MetricName"]) == ("AWS/SNS", "SMSMonthToDateSpentUSD")
    assert (spend["Threshold"], spend["ComparisonOperator"]) == (0.8, "GreaterThanOrEqualToThreshold")
    assert spend["TreatMissingData"] == "ignore"  # SNS updates it now and then: keep the state between
