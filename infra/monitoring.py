"""Alarms and a dashboard: what operations watch, and who hears when it goes wrong.

Sixteen alarms go to one SNS topic that the operators subscribe to: the API's share of 5xx
answers, errors and throttles of the route functions (summed in groups of ten, the most metrics
one alarm may read), throttled reads and writes of the table, and the notifications: messages in
either dead-letter queue (deliveries, schedule), errors of the evaluator and of the sender, work
the evaluator left for three runs in a row (``Backlog``), a delivery the provider may or may not
have made (``DeliveryUnknown``), and the month's SMS spend nearing its limit. They read 59 metrics
in all, and CloudWatch bills $0.10 a month per metric an alarm reads: about $5.90 (docs/cost.md).
The dashboard shows traffic, errors, latency, the business metrics the functions count
(shared/observability.py), the notifications and the table's capacity.
"""

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.notifications import Notifications
from infra.stages import METRICS_NAMESPACE, SERVICE_NAME, StageSettings

PERIOD = Duration.minutes(5)
# SNS updates the month's SMS spend now and then; between updates the alarm keeps its state.
SPEND_PERIOD = Duration.hours(1)
# An alarm's metric math may read at most ten metrics.
ALARM_METRICS = 10
NAMESPACE = METRICS_NAMESPACE
BACKLOG_RUNS = 3
BUSINESS_METRICS = ("ReadingsRecorded", "ReadingsRejected", "TasksCreated", "TasksCompleted")


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        rest_api: apigw.RestApi,
        functions: list[lambda_.Function],
        table: dynamodb.ITable,
        notifications: Notifications,
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        stage = settings.name
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
        self._notification_alarms(notifications, settings)
        self._dashboard(stage, rest_api, functions, table, notifications)

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.Metric | cloudwatch.MathExpression,
        description: str,
        threshold: float = 0,
        *,
        periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missing: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
    ) -> None:
        alarm = metric.create_alarm(
            self,
            name,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods if periods > 1 else None,
            comparison_operator=comparison,
            treat_missing_data=missing,
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

    def _notification_alarms(self, notifications: Notifications, settings: StageSettings) -> None:
        dead_letters: dict[str, tuple[sqs.IQueue, str]] = {
            "DeliveriesDeadLetters": (
                notifications.deliveries_dead_letters,
                "Deliveries the sender failed five times wait in the deliveries' dead-letter queue",
            ),
            "ScheduleDeadLetters": (
                notifications.schedule_dead_letters,
                "Evaluator runs the scheduler could not start wait in the schedule's dead-letter queue",
            ),
        }
        for name, (queue, description) in dead_letters.items():
            visible = queue.metric_approximate_number_of_messages_visible(statistic="Maximum", period=PERIOD)
            self._alarm(name, visible, description)
        for name, function in (("Evaluator", notifications.evaluator), ("Sender", notifications.sender)):
            errors = function.metric_errors(statistic="Sum", period=PERIOD)
            self._alarm(f"{name}Errors", errors, f"Lambda errors in the {name.lower()}")
        runs = Duration.minutes(settings.evaluation_minutes)  # one data point per run
        self._alarm(
            "Backlog",
            _custom("Backlog", "Maximum", runs),
            f"The evaluator stopped paging with work left in {BACKLOG_RUNS} runs in a row: it falls behind",
            periods=BACKLOG_RUNS,
        )
        self._alarm(
            "DeliveryUnknown",
            _custom("DeliveryUnknown", "Sum", PERIOD),
            "A delivery the provider may or may not have made: check it before anyone resends it",
        )
        spend = cloudwatch.Metric(
            namespace="AWS/SNS",
            metric_name="SMSMonthToDateSpentUSD",
            statistic="Maximum",
            period=SPEND_PERIOD,
        )
        self._alarm(
            "SmsSpend",
            spend,
            f"The month's SMS spend reached ${settings.sms_spend_alarm_usd:g}: SNS stops sending SMS at "
            "the account's spend limit",
            threshold=settings.sms_spend_alarm_usd,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            missing=cloudwatch.TreatMissingData.IGNORE,
        )

    def _dashboard(
        self,
        stage: str,
        rest_api: apigw.RestApi,
        functions: list[lambda_.Function],
        table: dynamodb.ITable,
        notifications: Notifications,
    ) -> None:
        business = [_custom(name, "Sum", PERIOD) for name in BUSINESS_METRICS]
        queues = (notifications.deliveries, notifications.deliveries_dead_letters)
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
                title="Notifications: deliveries queued and dead, backlog and unknown deliveries",
                left=[queue.metric_approximate_number_of_messages_visible(period=PERIOD) for queue in queues],
                right=[_custom(name, "Sum", PERIOD) for name in ("Backlog", "DeliveryUnknown")],
                width=24,
            ),
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


def _custom(name: str, statistic: str, period: Duration) -> cloudwatch.Metric:
    """A metric the functions count with Powertools (shared/observability.py): its namespace, and
    its service as the one dimension."""
    return cloudwatch.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE_NAME},
        statistic=statistic,
        period=period,
    )
