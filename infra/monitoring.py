"""Alarms and a dashboard: what operations watch, and who hears when it goes wrong.

Nine alarms go to one SNS topic that the operators subscribe to: the API's share of 5xx
answers, errors and throttles of the functions (summed in groups of ten, the most metrics one
alarm may read), and throttled reads and writes of the table. They read 52 metrics in all, and
CloudWatch bills $0.10 a month per metric an alarm reads: about $5.20 (docs/cost.md). The
dashboard shows traffic, errors, latency, the business metrics the functions count
(shared/observability.py) and the table's capacity.
"""

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

PERIOD = Duration.minutes(5)
# An alarm's metric math may read at most ten metrics.
ALARM_METRICS = 10
NAMESPACE = "ServiceCycle"
BUSINESS_METRICS = ("ReadingsRecorded", "ReadingsRejected", "TasksCreated", "TasksCompleted")


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        rest_api: apigw.RestApi,
        functions: list[lambda_.Function],
        table: dynamodb.ITable,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"ServiceCycle {stage} alarms",
            enforce_ssl=True,
            master_key=kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns"),
        )
        self.alarms: list[cloudwatch.Alarm] = []
        self._api_alarm(rest_api)
        for metric_name in ("Errors", "Throttles"):
            self._function_alarms(functions, metric_name)
        for kind in ("Read", "Write"):
            self._alarm(
                f"Table{kind}Throttles",
                table.metric(f"{kind}ThrottleEvents", statistic="Sum", period=PERIOD),
                f"DynamoDB throttled {kind.lower()}s of the table or an index",
            )
        self._dashboard(stage, rest_api, functions, table)

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.Metric | cloudwatch.MathExpression,
        description: str,
        threshold: float = 0,
    ) -> None:
        alarm = metric.create_alarm(
            self,
            name,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)

    def _api_alarm(self, rest_api: apigw.RestApi) -> None:
        share = cloudwatch.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={
                "errors": rest_api.metric_server_error(statistic="Sum", period=PERIOD),
                "requests": rest_api.metric_count(statistic="Sum", period=PERIOD),
            },
            label="5xx share (%)",
            period=PERIOD,
        )
        self._alarm("Api5xxShare", share, "More than 1 % of the API's answers were 5xx", threshold=1)

    def _function_alarms(self, functions: list[lambda_.Function], metric_name: str) -> None:
        for number, start in enumerate(range(0, len(functions), ALARM_METRICS), start=1):
            group = functions[start : start + ALARM_METRICS]
            summed = cloudwatch.MathExpression(
                expression=" + ".join(f"FILL(m{i}, 0)" for i in range(len(group))),
                using_metrics={
                    f"m{i}": function.metric(metric_name, statistic="Sum", period=PERIOD)
                    for i, function in enumerate(group)
                },
                label=f"{metric_name}, functions {start + 1}-{start + len(group)}",
                period=PERIOD,
            )
            self._alarm(
                f"Function{metric_name}{number}",
                summed,
                f"Lambda {metric_name.lower()} in functions {start + 1}-{start + len(group)} of the stack",
            )

    def _dashboard(
        self, stage: str, rest_api: apigw.RestApi, functions: list[lambda_.Function], table: dynamodb.ITable
    ) -> None:
        business = [
            cloudwatch.Metric(
                namespace=NAMESPACE,
                metric_name=name,
                dimensions_map={"service": "servicecycle"},
                statistic="Sum",
                period=PERIOD,
            )
            for name in BUSINESS_METRICS
        ]
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"servicecycle-{stage}")
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests and errors",
                left=[rest_api.metric_count(period=PERIOD)],
                right=[
                    rest_api.metric_client_error(period=PERIOD),
                    rest_api.metric_server_error(period=PERIOD),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="API latency (p99)",
                left=[rest_api.metric_latency(statistic="p99", period=PERIOD)],
                width=12,
            ),
            cloudwatch.GraphWidget(title="What the fleet did", left=business, width=12),
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=12),
            cloudwatch.GraphWidget(
                title="Table: consumed capacity and throttles",
                left=[
                    table.metric_consumed_read_capacity_units(period=PERIOD),
                    table.metric_consumed_write_capacity_units(period=PERIOD),
                ],
                right=[table.metric(f"{kind}ThrottleEvents", period=PERIOD) for kind in ("Read", "Write")],
                width=24,
            ),
        )
