"""Notifications as the API shows them, and opt-outs of recipients who want no more messages."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.common import (
    Cursor,
    InputModel,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    described_pattern,
    rule_broken,
)
from shared.models.contact import EMAIL_PATTERN, PHONE_PATTERN, Email, Phone
from shared.models.tasks import AssetId

TaskId = Annotated[
    str, Field(pattern=described_pattern(ID_PATTERNS["task_id"], "not a task id (tsk_ and 52 characters)"))
]
DeliveryState = Literal["sending", "sent", "retry", "failed", "unknown", "suppressed", "held"]


class NotificationFact(OutputModel):
    """A condition that made the status: its due point and where it stood (km, h, or instants)."""

    kind: Literal["distance", "hours", "date"]
    status: Literal["planned", "upcoming", "overdue"]
    due: float | datetime
    current: float | datetime | None = None


class Delivery(OutputModel):
    """One message of a notification to one recipient."""

    channel: Literal["sms", "email"]
    to: str
    state: DeliveryState = Field(
        description="sending: being sent; sent: the provider took it (message_id); retry: the provider "
        "was busy, tried again later; failed: refused for good (reason); unknown: the sender stopped "
        "right after the provider call, so it may have gone, and is not sent again; suppressed: not "
        "sent (reason: opted_out, task_changed, task_deleted); held: waiting for quiet hours to end"
    )
    attempts: int
    message_id: str | None = None
    sent_at: datetime | None = None
    held_until: datetime | None = None
    reason: str | None = None
    updated_at: datetime | None = None


class NotificationRecipients(OutputModel):
    sms: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    push: bool = False


class Notification(OutputModel):
    """A task's status change, told once to its recipients as they were when it happened."""

    task_id: str
    asset_id: str
    task_name: str | None = None
    occurrence: int = Field(description="The task's occurrence (1 for the first)")
    round: int = Field(
        description="0, or how often the status went down and came up again in this occurrence"
    )
    status: Literal["upcoming", "overdue"]
    previous: Literal["planned", "upcoming"] = Field(description="The status notified before")
    at: datetime = Field(description="When the change was recorded")
    cause: Literal["date", "reading", "change"] = Field(
        description="date: a date condition's time came; reading: a meter reading; change: a task write"
    )
    facts: list[NotificationFact]
    recipients: NotificationRecipients
    handed_over: bool = Field(description="Its messages are queued (false for a moment after it happened)")
    deliveries: list[Delivery] = Field(description="The messages that went out or were decided on so far")


class NotificationListQuery(QueryParams):
    task_id: TaskId | None = Field(None, description="This task's notifications, in the order they happened")
    asset_id: AssetId | None = Field(
        None, description="This asset's notifications: task by task, each in the order they happened"
    )
    order: Literal["asc", "desc"] = "desc"
    limit: PageLimit = 50
    next: Cursor | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> "NotificationListQuery":
        if (self.task_id is None) == (self.asset_id is None):
            raise rule_broken(self, "task_or_asset", "give either task_id or asset_id", "task_id")
        return self


class NotificationPage(Page[Notification]):
    pass


class OptOutsIn(InputModel):
    """Recipients who get no more messages from this account, whichever task names them."""

    sms: list[Phone] = Field(default_factory=list, max_length=100)
    emails: list[Email] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _someone(self) -> "OptOutsIn":
        if not self.sms and not self.emails:
            raise rule_broken(self, "nobody", "name at least one phone number or address", "sms")
        return self


class OptOut(OutputModel):
    recipient: str
    channel: Literal["sms", "email"]
    created_at: datetime


class OptOutPage(Page[OptOut]):
    pass


class OptOutQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


RECIPIENT_PATTERN = described_pattern(
    f"({PHONE_PATTERN})|({EMAIL_PATTERN})",
    "an E.164 phone number (+4915112345678) or an email address (workshop@example.com)",
)


class OptOutRemoval(QueryParams):
    recipient: Annotated[str, Field(max_length=254, pattern=RECIPIENT_PATTERN)] = Field(
        description="The phone number or address to send to again"
    )
