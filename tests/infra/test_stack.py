"""The stack as CloudFormation: one function per route, least privilege, protected data."""

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from infra.notifications import EVALUATOR_HANDLER, SENDER_HANDLER
from shared.data.table_definition import GLOBAL_INDEXES, TTL_ATTRIBUTE, projection
from shared.http.errors import GATEWAY_ERRORS
from shared.http.responses import BINARY_MEDIA_TYPES
from shared.routes import ROUTES, Route

pytestmark = pytest.mark.slow
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/public/work-orders/{reference}"),
}


def resources(template: Template, kind: str) -> dict[str, Any]:
    return template.find_resources(kind)


def logical_id(stack: Stack, construct: Any) -> str:
    """The construct's logical id in its own stack (a function's: in its area's nested stack)."""
    return Stack.of(construct).resolve(construct.node.default_child.logical_id)


def test_every_route_has_one_function_with_the_fixed_runtime(dev: tuple) -> None:
    _, _, template = dev
    functions = resources(template, "AWS::Lambda::Function")
    handlers = sorted(f["Properties"]["Handler"] for f in functions.values())
    # ... and so do the evaluator and the sender of notifications (tests/infra/test_notifications.py).
    assert handlers == sorted([*(route.handler for route in ROUTES), EVALUATOR_HANDLER, SENDER_HANDLER])
    for function in functions.values():
        props = function["Properties"]
        assert (props["Runtime"], props["Architectures"]) == ("python3.13", ["arm64"])
        assert "TracingConfig" not in props  # off by default (infra/stages.py)
        assert props["Environment"]["Variables"]["POWERTOOLS_TRACE_DISABLED"] == "true"
        assert "LogGroup" in props["LoggingConfig"]
        assert {"POWERTOOLS_SERVICE_NAME", "TABLE_NAME"} <= set(props["Environment"]["Variables"])
    for group in resources(template, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["RetentionInDays"] > 0


def test_only_the_functions_that_render_files_carry_the_report_layer(dev: tuple) -> None:
    _, _, template = dev
    layers = resources(template, "AWS::Lambda::LayerVersion")
    core, reports = (
        next(lid for lid, layer in layers.items() if layer["Properties"]["Description"].startswith(prefix))
        for prefix in ("pydantic", "openpyxl")
    )
    by_handler = {
        f["Properties"]["Handler"]: [ref["Ref"] for ref in f["Properties"]["Layers"]]
        for f in resources(template, "AWS::Lambda::Function").values()
    }
    for route in ROUTES:
        expected = [core, reports] if "reports" in route.layers else [core]
        assert by_handler[route.handler] == expected, route.handler
    assert [route.name for route in ROUTES if route.layers] == [
        "download_task_report",
        "download_order_list_report",
        "download_order_report",
    ]


def test_tracing_is_a_stage_setting() -> None:
    from infra.stages import function_environment, stage_settings  # noqa: PLC0415

    assert not stage_settings("prod").tracing and not stage_settings("dev").tracing
    traced = stage_settings("qa", {"qa": {"tracing": True}})
    assert traced.tracing and "POWERTOOLS_TRACE_DISABLED" not in function_environment(ROUTES[3], traced, "t")


def test_readings_retention_is_a_stage_setting_that_must_leave_the_usage_estimate_its_month() -> None:
    from infra.stages import function_environment, stage_settings  # noqa: PLC0415

    assert stage_settings("prod").readings_retention_days == 396
    kept = stage_settings("qa", {"qa": {"readings_retention_days": 0}})
    assert function_environment(ROUTES[3], kept, "t")["READINGS_RETENTION_DAYS"] == "0"
    with pytest.raises(ValueError, match=r"readings_retention_days must be 0 .* or at least 31"):
        stage_settings("qa", {"qa": {"readings_retention_days": 7}})


def method_of(stack: Stack, template: Template, route: Route) -> dict[str, Any]:
    resource = stack.api.rest_api.root.resource_for_path(route.path)
    method = resource.node.find_child(route.method)
    return resources(template, "AWS::ApiGateway::Method")[logical_id(stack, method)]["Properties"]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_is_a_method_behind_the_authorizer_unless_public(dev: tuple, route: Route) -> None:
    _, stack, template = dev
    method = method_of(stack, template, route)
    assert method["HttpMethod"] == route.method
    if (route.method, route.path) in PUBLIC:
        assert method["AuthorizationType"] == "NONE"
    else:
        assert method["AuthorizationType"] == "COGNITO_USER_POOLS"
        assert "AuthorizerId" in method
    assert route.public == ((route.method, route.path) in PUBLIC)


def policy_statements(template: Template) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        for role in policy["Properties"]["Roles"]:
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                found.append((role["Ref"], statement))
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_function_may_do_everything_on_the_table_or_on_everything(dev: tuple) -> None:
    _, _, template = dev
    for _, statement in policy_statements(template):
        actions = as_list(statement["Action"])
        assert "dynamodb:*" not in actions and "*" not in actions
        if any(action.startswith("dynamodb:") for action in actions):
            assert "*" not in as_list(statement["Resource"])


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_function_gets_exactly_the_table_actions_of_its_route(dev: tuple, route: Route) -> None:
    _, stack, template = dev
    function = stack.functions.by_route[route]
    role_id = logical_id(stack, function.role)
    granted = {
        action.removeprefix("dynamodb:")
        for role, statement in policy_statements(template)
        if role == role_id
        for action in as_list(statement["Action"])
        if action.startswith("dynamodb:")
    }
    assert granted == set(route.dynamodb)


def test_the_table_is_on_demand_with_recovery_ttl_and_the_indexes(dev: tuple) -> None:
    _, _, template = dev
    [table] = resources(template, "AWS::DynamoDB::Table").values()
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert {index["IndexName"] for index in props["GlobalSecondaryIndexes"]} == set(GLOBAL_INDEXES)
    # The asset indexes keep what their filters read and no meters: a reading does not rewrite them.
    projections = {index["IndexName"]: index["Projection"] for index in props["GlobalSecondaryIndexes"]}
    assert projections == {name: projection(name) for name in GLOBAL_INDEXES}
    assert projections["GSI1"]["ProjectionType"] == projections["GSI2"]["ProjectionType"] == "INCLUDE"
    assert not {"odometer_km", "hours", "current_at"} & set(projections["GSI2"]["NonKeyAttributes"])
    assert table["DeletionPolicy"] == "Delete"
    assert not props.get("DeletionProtectionEnabled")


def test_production_data_is_protected_and_kept(prod: tuple) -> None:
    _, _, template = prod
    [table] = resources(template, "AWS::DynamoDB::Table").values()
    assert table["DeletionPolicy"] == "Retain"
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    [pool] = resources(template, "AWS::Cognito::UserPool").values()
    assert pool["DeletionPolicy"] == "Retain"


def test_gateway_errors_are_json_in_the_api_error_shape(dev: tuple) -> None:
    _, _, template = dev
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in resources(template, "AWS::ApiGateway::GatewayResponse").values()
    }
    for kind, error in GATEWAY_ERRORS.items():
        response = responses[kind]
        assert response["StatusCode"] == str(error.status)
        assert json.loads(response["ResponseTemplates"]["application/json"]) == error.body()
        assert response["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"


def test_the_api_has_throttling_access_logs_and_a_firewall(dev: tuple) -> None:
    _, _, template = dev
    [stage] = resources(template, "AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["TracingEnabled"] is False  # a stage setting, off by default (infra/stages.py)
    assert "DestinationArn" in props["AccessLogSetting"]
    by_path = {settings["ResourcePath"]: settings for settings in props["MethodSettings"]}
    every = by_path["/*"]
    assert every["ThrottlingRateLimit"] > 0 and every["ThrottlingBurstLimit"] > 0
    public = by_path["/~1public~1work-orders~1{reference}"]
    assert (public["HttpMethod"], public["ThrottlingRateLimit"], public["ThrottlingBurstLimit"]) == (
        "GET",
        20,
        40,
    )
    assert len(resources(template, "AWS::WAFv2::WebACLAssociation")) == 1
    [acl] = resources(template, "AWS::WAFv2::WebACL").values()
    [rule] = [r for r in acl["Properties"]["Rules"] if r["Name"].startswith("Public")]
    limit = rule["Statement"]["RateBasedStatement"]
    assert (limit["Limit"], limit["EvaluationWindowSec"], limit["AggregateKeyType"]) == (100, 300, "IP")
    assert limit["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/public/work-orders/"
    assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429


def test_report_files_and_json_request_bodies_pass_the_gateway_as_bytes(dev: tuple) -> None:
    _, _, template = dev
    [api] = resources(template, "AWS::ApiGateway::RestApi").values()
    binary = api["Properties"]["BinaryMediaTypes"]
    assert set(binary) == set(BINARY_MEDIA_TYPES)
    assert {"application/pdf", "application/json"} <= set(binary)
    assert "*/*" not in binary


def test_users_cannot_write_their_own_account_or_role(dev: tuple) -> None:
    _, _, template = dev
    [client] = resources(template, "AWS::Cognito::UserPoolClient").values()
    writable = client["Properties"]["WriteAttributes"]
    assert not [name for name in writable if name.startswith("custom:")]
    [pool] = resources(template, "AWS::Cognito::UserPool").values()
    custom = {a["Name"]: a for a in pool["Properties"]["Schema"]}
    assert custom["account_id"]["Mutable"] is False


def test_operations_hear_of_5xx_function_errors_throttles_and_table_throttles(dev: tuple) -> None:
    _, stack, template = dev
    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    topic = logical_id(stack, stack.monitoring.topic)
    assert all(alarm["Properties"]["AlarmActions"] == [{"Ref": topic}] for alarm in alarms)
    described = " ".join(alarm["Properties"]["AlarmDescription"] for alarm in alarms)
    for watched in ("5xx", "Lambda errors", "Lambda throttles", "throttled reads", "throttled writes"):
        assert watched in described
    # Every route's function is in exactly one errors alarm and one throttles alarm (the evaluator
    # and the sender have alarms of their own: tests/infra/test_notifications.py).
    watched_functions = [
        metric["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"]
        for alarm in alarms
        for metric in alarm["Properties"].get("Metrics", [])
        if "MetricStat" in metric and metric["MetricStat"]["Metric"]["Namespace"] == "AWS/Lambda"
    ]
    functions = [logical_id(stack, function) for function in stack.functions.by_route.values()]
    assert sorted(watched_functions) == sorted(functions * 2)
    [topic_resource] = resources(template, "AWS::SNS::Topic").values()
    assert topic_resource["Properties"]["KmsMasterKeyId"]
    assert len(resources(template, "AWS::CloudWatch::Dashboard")) == 1
