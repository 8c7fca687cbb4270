"""One Lambda function per route of the route table, each with only the table access it uses."""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.nag import accept
from infra.stages import StageSettings, function_environment
from shared.data.table_definition import GLOBAL_INDEXES
from shared.routes import ROUTES, Route

RUNTIME = lambda_.Runtime.PYTHON_3_13
LAYER_DESCRIPTIONS = {
    "core": "pydantic, Powertools and tzdata: what every function imports",
    "reports": "openpyxl and fpdf2: only for the functions that render report files",
}
LOG_RETENTION = logs.RetentionDays.ONE_MONTH


def _construct_id(route: Route) -> str:
    return "".join(part.capitalize() for part in route.name.split("_"))


class Functions(Construct):
    """``by_route`` maps each route to its function."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table: dynamodb.ITable,
        layer_dirs: dict[str, str],
        code_dir: str,
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        layers = {
            name: lambda_.LayerVersion(
                self,
                "Dependencies" if name == "core" else f"{name.capitalize()}Dependencies",
                code=lambda_.Code.from_asset(directory),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[lambda_.Architecture.ARM_64],
                description=LAYER_DESCRIPTIONS[name],
            )
            for name, directory in layer_dirs.items()
        }
        code = lambda_.Code.from_asset(code_dir)
        removal = RemovalPolicy.RETAIN if settings.production else RemovalPolicy.DESTROY
        self.by_route: dict[Route, lambda_.Function] = {}
        for route in ROUTES:
            name = _construct_id(route)
            log_group = logs.LogGroup(self, f"{name}Logs", retention=LOG_RETENTION, removal_policy=removal)
            role = iam.Role(
                self,
                f"{name}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"{route.method} {route.path}",
            )
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[log_group.log_group_arn],
                )
            )
            if route.dynamodb:
                role.add_to_policy(
                    iam.PolicyStatement(
                        actions=[f"dynamodb:{action}" for action in route.dynamodb],
                        resources=[
                            table.table_arn,
                            *(f"{table.table_arn}/index/{index}" for index in GLOBAL_INDEXES),
                        ],
                    )
                )
            function = lambda_.Function(
                self,
                name,
                runtime=RUNTIME,
                architecture=lambda_.Architecture.ARM_64,
                handler=route.handler,
                code=code,
                layers=[layers["core"], *(layers[name] for name in route.layers)],
                role=role,
                memory_size=route.memory_mb,
                timeout=Duration.seconds(route.timeout_seconds),
                tracing=lambda_.Tracing.ACTIVE if settings.tracing else lambda_.Tracing.DISABLED,
                log_group=log_group,
                description=f"{route.method} {route.path}: {route.summary}",
                environment=function_environment(route, settings, table.table_name),
            )
            accept(
                function,
                "AwsSolutions-L1",
                "python3.13 is the runtime the product is built and tested for; moving to a newer runtime "
                "is a deliberate upgrade, not a default",
            )
            if settings.tracing:
                accept(
                    role,
                    "AwsSolutions-IAM5[Resource::*]",
                    "X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords have no resource scope",
                )
            self.by_route[route] = function
