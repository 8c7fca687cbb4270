"""Notifications: the schedule that runs the evaluator, the deliveries it queues, the sender that
delivers them by SMS (SNS) and email (SES), and the bus that integrators listen to.

```
EventBridge Scheduler (every evaluation_minutes, {"time": <scheduled time>})
  -> evaluator (GSI5: what is due at that instant) -> deliveries queue -> sender -> SNS SMS / SES
                                                   \\-> event bus servicecycle-<stage>
```

A failed run is retried by the scheduler and, if it still fails, kept in the schedule's
dead-letter queue; a delivery the sender fails five times goes to the deliveries' dead-letter
queue. Both are watched (infra/monitoring.py). The evaluator has no reserved concurrency: two
runs that overlap claim each transition on a condition, so the second finds nothing to do.
"""

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.functions import EVALUATOR_INDEX, Functions, build_function
from infra.nag import accept
from infra.stages import StageSettings, base_environment

EVALUATOR_HANDLER = "functions.evaluation.evaluate.handler"
SENDER_HANDLER = "functions.notifications.send.handler"
# Six times the sender's timeout (AWS's advice for a queue a function consumes): a batch that is
# still being sent is not handed to a second sender.
SENDER_TIMEOUT = Duration.seconds(30)
VISIBILITY_TIMEOUT = Duration.seconds(180)
MAX_RECEIVES = 5
DEAD_LETTER_RETENTION = Duration.days(14)
SCHEDULE_RETRIES = 2
DEAD_LETTER_REASON = (
    "this queue is itself a dead-letter queue: what lands here is kept 14 days for an operator, and "
    "its messages-visible alarm (infra/monitoring.py) says so"
)


def _dead_letter_queue(scope: Construct, construct_id: str) -> sqs.Queue:
    queue = sqs.Queue(
        scope,
        construct_id,
        retention_period=DEAD_LETTER_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
    accept(queue, "AwsSolutions-SQS3", DEAD_LETTER_REASON)
    return queue


class Notifications(Construct):
    """``evaluator``, ``sender``, ``deliveries`` (and its ``deliveries_dead_letters``),
    ``schedule`` (and its ``schedule_dead_letters``), ``bus``, ``identity``, ``configuration_set``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table: dynamodb.ITable,
        functions: Functions,
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=f"servicecycle-{settings.name}")
        self.deliveries_dead_letters = _dead_letter_queue(self, "DeliveriesDeadLetters")
        self.deliveries = sqs.Queue(
            self,
            "Deliveries",
            visibility_timeout=VISIBILITY_TIMEOUT,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.deliveries_dead_letters, max_receive_count=MAX_RECEIVES
            ),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.configuration_set = ses.ConfigurationSet(
            self,
            "MailConfiguration",
            reputation_metrics=True,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        )
        self.identity = ses.EmailIdentity(
            self,
            "MailIdentity",
            identity=ses.Identity.domain(settings.mail_domain),
            configuration_set=self.configuration_set,
        )
        self.evaluator = self._evaluator(table, functions, settings)
        self.sender = self._sender(table, functions, settings)
        self.schedule_dead_letters = _dead_letter_queue(self, "ScheduleDeadLetters")
        minutes = Duration.minutes(settings.evaluation_minutes)
        schedule_role = self._schedule_role()
        self.schedule = scheduler.Schedule(
            self,
            "Evaluation",
            schedule=scheduler.ScheduleExpression.rate(minutes),
            description=f"Evaluate due services every {settings.evaluation_minutes} min",
            target=scheduler_targets.LambdaInvoke(
                self.evaluator,
                input=scheduler.ScheduleTargetInput.from_object(
                    {"time": scheduler.ContextAttribute.scheduled_time}
                ),
                retry_attempts=SCHEDULE_RETRIES,
                # Past one period the next run covers the same instants: no point retrying longer.
                max_event_age=minutes,
                dead_letter_queue=self.schedule_dead_letters,
                role=schedule_role,
            ),
        )

    def _schedule_role(self) -> iam.Role:
        """The role the scheduler invokes the evaluator with (the target adds the invoke grant and
        the dead-letter queue's send), for this account's schedules only."""
        stack = Stack.of(self)
        role = iam.Role(
            self,
            "ScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": stack.account}}
            ),
            description="EventBridge Scheduler: runs the evaluator",
        )
        evaluator = stack.get_logical_id(self.evaluator.node.default_child)  # type: ignore[arg-type]
        accept(
            role,
            f"AwsSolutions-IAM5[Resource::<{evaluator}.Arn>:*]",
            "lambda:InvokeFunction on the evaluator's versions and aliases as well (the scheduler target's "
            "grant); the function itself is the only one named",
        )
        return role

    def _evaluator(
        self, table: dynamodb.ITable, functions: Functions, settings: StageSettings
    ) -> lambda_.Function:
        return build_function(
            self,
            "Evaluator",
            description="Evaluates what is due and queues its notifications (run by the schedule)",
            role_description="evaluator: the due index, transitions, deliveries, integration events",
            handler=EVALUATOR_HANDLER,
            code=functions.code,
            layers=[functions.core_layer],
            memory_mb=1024,
            timeout=Duration.minutes(5),
            environment={
                **base_environment("evaluate", settings, table.table_name),
                "DELIVERY_QUEUE_URL": self.deliveries.queue_url,
                "EVENT_BUS_NAME": self.bus.event_bus_name,
            },
            statements=[
                iam.PolicyStatement(
                    # GSI6: the assignments an overlay covers, brought to it 500 a run.
                    actions=["dynamodb:Query"],
                    resources=[f"{table.table_arn}/index/{EVALUATOR_INDEX}", f"{table.table_arn}/index/GSI6"],
                ),
                iam.PolicyStatement(
                    actions=[
                        "dynamodb:GetItem",
                        "dynamodb:BatchGetItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:PutItem",
                        "dynamodb:ConditionCheckItem",
                        # A grant's window ended: the asset's tasks and assignments are read, the
                        # provider's made inactive, the grant and its link deleted (grant_expiry).
                        "dynamodb:Query",
                        "dynamodb:DeleteItem",
                    ],
                    resources=[table.table_arn],
                ),
                iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.deliveries.queue_arn]),
                iam.PolicyStatement(actions=["events:PutEvents"], resources=[self.bus.event_bus_arn]),
            ],
            settings=settings,
        )

    def _sender(
        self, table: dynamodb.ITable, functions: Functions, settings: StageSettings
    ) -> lambda_.Function:
        stack = Stack.of(self)
        configuration_set_arn = stack.format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=self.configuration_set.configuration_set_name,
        )
        any_topic = stack.format_arn(
            service="sns", region="*", account="*", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
        )
        sender = build_function(
            self,
            "Sender",
            description="Sends queued notifications by SMS (SNS) and email (SES)",
            role_description="sender: deliveries, SMS to phone numbers, mail from the stage's identity",
            handler=SENDER_HANDLER,
            code=functions.code,
            layers=[functions.core_layer],
            memory_mb=256,
            timeout=SENDER_TIMEOUT,
            environment={
                **base_environment("send", settings, table.table_name),
                "DELIVERY_QUEUE_URL": self.deliveries.queue_url,
                "MAIL_FROM": settings.mail_from,
                "SES_CONFIGURATION_SET": self.configuration_set.configuration_set_name,
            },
            statements=[
                iam.PolicyStatement(
                    actions=[
                        "dynamodb:GetItem",
                        "dynamodb:BatchGetItem",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                    ],
                    resources=[table.table_arn],
                ),
                # Backing off a delivery the provider refused for now (the event source grants
                # the rest of consuming the queue).
                iam.PolicyStatement(
                    actions=["sqs:ChangeMessageVisibility"], resources=[self.deliveries.queue_arn]
                ),
                # An SMS to a phone number has no resource ARN; the deny keeps every topic out.
                iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]),
                iam.PolicyStatement(effect=iam.Effect.DENY, actions=["sns:Publish"], resources=[any_topic]),
                iam.PolicyStatement(
                    actions=["ses:SendEmail"],
                    resources=[self.identity.email_identity_arn, configuration_set_arn],
                ),
            ],
            settings=settings,
        )
        sender.add_event_source(
            event_sources.SqsEventSource(
                self.deliveries, batch_size=10, report_batch_item_failures=True, max_concurrency=5
            )
        )
        accept(
            sender.role,  # type: ignore[arg-type]
            "AwsSolutions-IAM5[Resource::*]",
            "sns:Publish to a phone number (SMS) has no resource to name; the same policy denies "
            "sns:Publish on every topic ARN, so this grants SMS and nothing else",
        )
        return sender
