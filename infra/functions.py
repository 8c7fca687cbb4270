"""One Lambda function per route of the route table, each with only the table access it uses (and
the files bucket access, infra/files.py).

A function brings its role, policy, log group and invoke permission: five resources a route, and
CloudFormation takes 500 in one stack. The functions of each area of the API (the route table's
tags: assets, tasks, work orders, ...) are therefore a nested stack of their own, which keeps the
main stack (the API's methods and everything else) far below the limit as the API grows.

The evaluator's index (GSI5, whatever is due at an instant across every account) is left out of
what route functions may read: only the evaluator (infra/notifications.py) queries it.
"""

from collections.abc import Sequence

from aws_cdk import Duration, NestedStack, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.files import FileStore
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
EVALUATOR_INDEX = "GSI5"
ROUTE_INDEXES = tuple(index for index in GLOBAL_INDEXES if index != EVALUATOR_INDEX)


def _construct_id(route: Route) -> str:
    return "".join(part.capitalize() for part in route.name.split("_"))


def build_function(
    scope: Construct,
    name: str,
    *,
    description: str,
    role_description: str,
    handler: str,
    code: lambda_.Code,
    layers: Sequence[lambda_.ILayerVersion],
    memory_mb: int,
    timeout: Duration,
    environment: dict[str, str],
    statements: Sequence[iam.PolicyStatement],
    settings: StageSettings,
) -> lambda_.Function:
    """A python3.13 arm64 function with a log group and a role of its own: writing its logs and
    ``statements``, nothing else (the constructs ``<name>Logs``, ``<name>Role`` and ``<name>``)."""
    removal = RemovalPolicy.RETAIN if settings.production else RemovalPolicy.DESTROY
    log_group = logs.LogGroup(scope, f"{name}Logs", retention=LOG_RETENTION, removal_policy=removal)
    role = iam.Role(
        scope,
        f"{name}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=role_description,
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[log_group.log_group_arn]
        )
    )
    for statement in statements:
        role.add_to_policy(statement)
    function = lambda_.Function(
        scope,
        name,
        runtime=RUNTIME,
        architecture=lambda_.Architecture.ARM_64,
        handler=handler,
        code=code,
        layers=list(layers),
        role=role,
        memory_size=memory_mb,
        timeout=timeout,
        tracing=lambda_.Tracing.ACTIVE if settings.tracing else lambda_.Tracing.DISABLED,
        log_group=log_group,
        description=description,
        environment=environment,
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
    return function


class Functions(Construct):
    """``by_route`` maps each route to its function; ``core_layer`` and ``code`` are what every
    function of the stack runs with (the evaluator and the sender too)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table: dynamodb.ITable,
        files: FileStore,
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
        self.core_layer = layers["core"]
        self.code = lambda_.Code.from_asset(code_dir)
        self.by_route: dict[Route, lambda_.Function] = {}
        areas: dict[str, tuple[NestedStack, lambda_.Code]] = {}
        for route in ROUTES:
            if route.tag not in areas:
                # An asset belongs to one stack: each area has the same code as an asset of its own.
                area = NestedStack(self, f"{_area_id(route.tag)}Functions")
                areas[route.tag] = (area, lambda_.Code.from_asset(code_dir))
            area, code = areas[route.tag]
            statements = []
            if route.dynamodb:
                statements.append(
                    iam.PolicyStatement(
                        actions=[f"dynamodb:{action}" for action in route.dynamodb],
                        resources=[
                            table.table_arn,
                            *(f"{table.table_arn}/index/{index}" for index in ROUTE_INDEXES),
                        ],
                    )
                )
            statements += files.statements(route.storage)
            self.by_route[route] = build_function(
                area,
                _construct_id(route),
                description=f"{route.method} {route.path}: {route.summary}",
                role_description=f"{route.method} {route.path}",
                handler=route.handler,
                code=code,
                layers=[self.core_layer, *(layers[name] for name in route.layers)],
                memory_mb=route.memory_mb,
                timeout=Duration.seconds(route.timeout_seconds),
                environment=function_environment(route, settings, table.table_name, files.bucket.bucket_name),
                statements=statements,
                settings=settings,
            )
            if route.storage:
                files.acknowledge(self.by_route[route].role, route.storage)  # type: ignore[arg-type]
        self.areas = {tag: area for tag, (area, _) in areas.items()}


def _area_id(tag: str) -> str:
    return "".join(part.capitalize() for part in tag.replace("-", "_").split("_"))
