"""The ServiceCycle stack: data, the files bucket, functions from the route table, the API in front
of them, the notifications (schedule, evaluator, deliveries, sender, bus) and what watches it all."""

from aws_cdk import CfnOutput, Stack, Tags
from constructs import Construct

from infra.api import Api
from infra.data import Data
from infra.files import FileStore
from infra.functions import Functions
from infra.monitoring import Monitoring
from infra.notifications import Notifications
from infra.stages import StageSettings


class ServiceCycleStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        layer_dirs: dict[str, str],
        code_dir: str,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        settings.check_deployable()
        stage, production = settings.name, settings.production
        data = Data(self, "Data", production=production)
        self.files = FileStore(self, "Files", settings=settings)
        functions = Functions(
            self,
            "Functions",
            table=data.table,
            files=self.files,
            layer_dirs=layer_dirs,
            code_dir=code_dir,
            settings=settings,
        )
        self.api = Api(self, "Api", functions=functions.by_route, settings=settings)
        self.notifications = Notifications(
            self, "Notifications", table=data.table, functions=functions, settings=settings
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            rest_api=self.api.rest_api,
            functions=list(functions.by_route.values()),
            table=data.table,
            notifications=self.notifications,
            settings=settings,
        )
        self.table = data.table
        self.functions = functions
        CfnOutput(self, "TableName", value=data.table.table_name)
        CfnOutput(self, "EventBusName", value=self.notifications.bus.event_bus_name)
        CfnOutput(self, "FilesBucketName", value=self.files.bucket.bucket_name)
        Tags.of(self).add("application", "servicecycle")
        Tags.of(self).add("stage", stage)
