"""The REST API: Cognito authorizer, throttling, access logs, CORS, WAF, JSON gateway errors,
binary media types for report files.

Methods come from the route table. Every route needs a Cognito ID token except the public ones;
a method a path does not have answers 405 with ``Allow`` from a mock integration, as the local
server does.
"""

import json

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as waf
from constructs import Construct

from infra.nag import accept
from infra.stages import StageSettings
from shared.http.errors import GATEWAY_ERRORS, ApiError, method_not_allowed
from shared.http.responses import BINARY_MEDIA_TYPES
from shared.routes import PUBLIC_WINDOW_SECONDS, ROUTES, Route, methods_at, resource_paths

CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-Match"]
_RESPONSE_TYPES = {
    "UNAUTHORIZED": apigw.ResponseType.UNAUTHORIZED,
    "MISSING_AUTHENTICATION_TOKEN": apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    "THROTTLED": apigw.ResponseType.THROTTLED,
    "REQUEST_TOO_LARGE": apigw.ResponseType.REQUEST_TOO_LARGE,
}
_GENERIC = {
    "Default4xx": (apigw.ResponseType.DEFAULT_4_XX, ApiError(400, "bad_request", "The request was refused")),
    "Default5xx": (apigw.ResponseType.DEFAULT_5_XX, ApiError(500, "internal_error", "Something went wrong")),
}


def _template(error: ApiError) -> dict[str, str]:
    return {"application/json": json.dumps(error.body())}


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: dict[Route, lambda_.Function],
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        stage, production = settings.name, settings.production
        removal = RemovalPolicy.RETAIN if production else RemovalPolicy.DESTROY
        self.user_pool = cognito.UserPool(
            self,
            "Users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            custom_attributes={
                "account_id": cognito.StringAttribute(min_len=1, max_len=64, mutable=False),
                "role": cognito.StringAttribute(min_len=4, max_len=16, mutable=True),
            },
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=removal,
        )
        accept(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional: integrations sign in as users without a second factor; "
            "administrators require it per user",
        )
        for rule in ("AwsSolutions-COG3", "AwsSolutions-COG8"):
            accept(
                self.user_pool,
                rule,
                "Threat protection needs the Cognito Plus plan, a cost each deployment decides on",
            )
        # Users may not write their own tenant or role: only administrators set them.
        self.client = self.user_pool.add_client(
            "Client",
            auth_flows=cognito.AuthFlow(user_srp=True),
            write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True, fullname=True),
        )
        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=logs.RetentionDays.THREE_MONTHS, removal_policy=removal
        )
        self.rest_api = apigw.RestApi(
            self,
            "Rest",
            rest_api_name=f"servicecycle-{stage}",
            description="ServiceCycle: preventive maintenance of vehicles, machines and equipment",
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=removal,
            deploy_options=apigw.StageOptions(
                stage_name=stage,
                throttling_rate_limit=100,
                throttling_burst_limit=200,
                # Routes anyone may call get a limit of their own (the public status page).
                method_options={
                    f"{route.path}/{route.method}": apigw.MethodDeploymentOptions(
                        throttling_rate_limit=route.rate_limit.per_second,
                        throttling_burst_limit=route.rate_limit.burst,
                    )
                    for route in ROUTES
                    if route.rate_limit is not None
                },
                tracing_enabled=settings.tracing,
                metrics_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=apigw.Cors.ALL_ORIGINS,
                allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=CORS_HEADERS,
            ),
            # Report files (PDF, xlsx) leave their function base64-encoded; the gateway sends them
            # as bytes to clients whose first Accept type is one of these. JSON request bodies
            # reach the functions base64-encoded, as sent, so bytes that are not UTF-8 are refused
            # rather than replaced (shared/http/responses.py).
            binary_media_types=list(BINARY_MEDIA_TYPES),
        )
        accept(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "The account-level role API Gateway needs to write execution logs; AWS maintains its policy",
        )
        accept(
            self.rest_api,
            "AwsSolutions-APIG2",
            "Requests are validated by each function against its pydantic models, which give field-level "
            "422 errors that API Gateway request validation cannot",
        )
        self._gateway_responses()
        authorizer = apigw.CognitoUserPoolsAuthorizer(self, "Authorizer", cognito_user_pools=[self.user_pool])
        for route, function in functions.items():
            resource = self.rest_api.root.resource_for_path(route.path)
            method = resource.add_method(
                route.method,
                # The console's test button needs a permission of its own per method: not granted.
                apigw.LambdaIntegration(function, allow_test_invoke=False),
                authorizer=None if route.public else authorizer,
                authorization_type=apigw.AuthorizationType.NONE
                if route.public
                else apigw.AuthorizationType.COGNITO,
                operation_name=route.name,
            )
            if route.public:
                accept(
                    method,
                    "AwsSolutions-APIG4",
                    "Public by design: health, OpenAPI document, docs page and the work-order status page "
                    "(a secret reference, throttled per address)",
                )
                accept(
                    method,
                    "AwsSolutions-COG4",
                    "Public by design: health, OpenAPI document, docs page and the work-order status page "
                    "(a secret reference, throttled per address)",
                )
        for path in resource_paths():
            self._method_not_allowed(self.rest_api.root.resource_for_path(path), path)
        self._firewall(stage)
        CfnOutput(self, "Url", value=self.rest_api.url)
        CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=self.client.user_pool_client_id)

    def _gateway_responses(self) -> None:
        cors = {"Access-Control-Allow-Origin": "'*'"}
        for kind, error in GATEWAY_ERRORS.items():
            self.rest_api.add_gateway_response(
                kind.title().replace("_", ""),
                type=_RESPONSE_TYPES[kind],
                status_code=str(error.status),
                response_headers=cors,
                templates=_template(error),
            )
        for name, (response_type, error) in _GENERIC.items():
            self.rest_api.add_gateway_response(
                name, type=response_type, response_headers=cors, templates=_template(error)
            )

    def _method_not_allowed(self, resource: apigw.IResource, path: str) -> None:
        """ANY on a resource catches only the methods it does not define: answer 405 with Allow."""
        error = method_not_allowed([*methods_at(path), "OPTIONS"])
        allow = error.headers["Allow"]
        method = resource.add_method(
            "ANY",
            apigw.MockIntegration(
                request_templates={"application/json": '{"statusCode": 405}'},
                passthrough_behavior=apigw.PassthroughBehavior.WHEN_NO_TEMPLATES,
                integration_responses=[
                    apigw.IntegrationResponse(
                        status_code="405",
                        response_templates=_template(error),
                        response_parameters={
                            "method.response.header.Allow": f"'{allow}'",
                            "method.response.header.Access-Control-Allow-Origin": "'*'",
                        },
                    )
                ],
            ),
            authorization_type=apigw.AuthorizationType.NONE,
            method_responses=[
                apigw.MethodResponse(
                    status_code="405",
                    response_parameters={
                        "method.response.header.Allow": True,
                        "method.response.header.Access-Control-Allow-Origin": True,
                    },
                )
            ],
        )
        reason = "Answers 405 Method Not Allowed from a mock integration; reaches no function and no data"
        accept(method, "AwsSolutions-APIG4", reason)
        accept(method, "AwsSolutions-COG4", reason)

    def _firewall(self, stage: str) -> None:
        """AWS managed rules and a per-IP rate limit in front of the stage."""

        def managed(
            name: str, priority: int, excluded: list[str] | None = None
        ) -> waf.CfnWebACL.RuleProperty:
            return waf.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                override_action=waf.CfnWebACL.OverrideActionProperty(none={}),
                statement=waf.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=waf.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name=name,
                        rule_action_overrides=[
                            waf.CfnWebACL.RuleActionOverrideProperty(
                                name=rule, action_to_use=waf.CfnWebACL.RuleActionProperty(count={})
                            )
                            for rule in excluded or []
                        ]
                        or None,
                    )
                ),
                visibility_config=_visibility(name),
            )

        acl = waf.CfnWebACL(
            self,
            "Firewall",
            scope="REGIONAL",
            default_action=waf.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"servicecycle-{stage}"),
            rules=[
                # Batch bodies (up to 1,000 readings) are larger than the common set's 8 KB body limit.
                managed("AWSManagedRulesCommonRuleSet", 0, excluded=["SizeRestrictions_BODY"]),
                managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
                waf.CfnWebACL.RuleProperty(
                    name="RatePerAddress",
                    priority=2,
                    action=waf.CfnWebACL.RuleActionProperty(block={}),
                    statement=waf.CfnWebACL.StatementProperty(
                        rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                            limit=3000, aggregate_key_type="IP"
                        )
                    ),
                    visibility_config=_visibility("RatePerAddress"),
                ),
                *_public_limits(),
            ],
            custom_response_bodies={
                "throttled": waf.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=json.dumps(GATEWAY_ERRORS["THROTTLED"].body())
                )
            },
        )
        stack = Stack.of(self)
        stage_arn = (
            f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/"
            f"{self.rest_api.rest_api_id}/stages/{self.rest_api.deployment_stage.stage_name}"
        )
        waf.CfnWebACLAssociation(self, "FirewallOnStage", resource_arn=stage_arn, web_acl_arn=acl.attr_arn)


def _public_limits() -> list[waf.CfnWebACL.RuleProperty]:
    """Per client address, on each route anyone may call: a rate-based rule scoped to its path,
    answering 429 with the API's JSON error, as the local gateway does (local/throttle.py)."""
    rules = []
    for index, route in enumerate(r for r in ROUTES if r.rate_limit is not None):
        assert route.rate_limit is not None
        prefix = route.path.split("{", 1)[0]
        name = f"Public{index}PerAddress"
        rules.append(
            waf.CfnWebACL.RuleProperty(
                name=name,
                priority=10 + index,
                action=waf.CfnWebACL.RuleActionProperty(
                    block=waf.CfnWebACL.BlockActionProperty(
                        custom_response=waf.CfnWebACL.CustomResponseProperty(
                            response_code=429, custom_response_body_key="throttled"
                        )
                    )
                ),
                statement=waf.CfnWebACL.StatementProperty(
                    rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                        limit=route.rate_limit.per_address,
                        evaluation_window_sec=PUBLIC_WINDOW_SECONDS,
                        aggregate_key_type="IP",
                        scope_down_statement=waf.CfnWebACL.StatementProperty(
                            byte_match_statement=waf.CfnWebACL.ByteMatchStatementProperty(
                                field_to_match=waf.CfnWebACL.FieldToMatchProperty(uri_path={}),
                                positional_constraint="CONTAINS",
                                search_string=prefix,
                                text_transformations=[
                                    waf.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                                ],
                            )
                        ),
                    )
                ),
                visibility_config=_visibility(name),
            )
        )
    return rules


def _visibility(name: str) -> waf.CfnWebACL.VisibilityConfigProperty:
    return waf.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )
