"""What ``PATCH /tasks/{id}`` takes: a JSON merge patch (RFC 7396) of a task's fields.

Fields left out stay as they are, ``null`` removes one, and objects merge field by field:
``{"conditions": {"distance": {"notify_before_km": 500}}}`` changes one lead and keeps the limit,
the other conditions, everything else. Lists are replaced whole. The patch is checked for its
shapes here; the task it makes is then checked as a whole, like a new one (services/task_writes.py).
"""

from typing import Any

from pydantic import Field

from shared.models.common import LEAVE_AS_IS, Day, InputModel, LongText, Name, PartialUpdate
from shared.models.conditions import (
    Anchor,
    AttachmentIds,
    Days,
    Km,
    Lead,
    LeadDays,
    Months,
    Percent,
)
from shared.models.contact import Email, Phone
from shared.models.settings import Currency


class DistancePatch(InputModel):
    limit_km: Km = Field(LEAVE_AS_IS)
    notify_before_km: Lead | None = None
    notify_at_percent: Percent | None = None
    repeat_km: Km | None = None


class HoursPatch(InputModel):
    limit_h: Km = Field(LEAVE_AS_IS)
    notify_before_h: Lead | None = None
    notify_at_percent: Percent | None = None
    repeat_h: Km | None = None


class DatePatch(InputModel):
    due: Day | None = None
    every_days: Days | None = None
    every_months: Months | None = None
    notify_before_days: LeadDays | None = None
    notify_at_percent: Percent | None = None
    repeat_days: Days | None = None
    repeat_months: Months | None = None


class ConditionsPatch(InputModel):
    """Changes to the conditions; ``null`` removes a condition (one must remain)."""

    distance: DistancePatch | None = None
    hours: HoursPatch | None = None
    date: DatePatch | None = None


class MoneyPatch(InputModel):
    amount: float = Field(LEAVE_AS_IS, ge=0, le=1_000_000_000)
    currency: Currency | None = None


class RecipientsPatch(InputModel):
    sms: list[Phone] = Field(LEAVE_AS_IS, max_length=20)
    emails: list[Email] = Field(LEAVE_AS_IS, max_length=20)
    push: bool = Field(LEAVE_AS_IS)


class TaskUpdate(PartialUpdate):
    """A merge patch of a task. Changed conditions apply to the current occurrence, counted
    from its start."""

    name: Name = Field(LEAVE_AS_IS)
    description: LongText | None = None
    conditions: ConditionsPatch = Field(LEAVE_AS_IS)
    repeat: bool = Field(LEAVE_AS_IS)
    anchor: Anchor = Field(LEAVE_AS_IS)
    unplanned: bool = Field(LEAVE_AS_IS)
    cost: MoneyPatch | None = None
    comment: LongText | None = None
    attachment_ids: AttachmentIds = Field(LEAVE_AS_IS)
    recipients: RecipientsPatch = Field(LEAVE_AS_IS)

    def as_patch(self) -> dict[str, Any]:
        """The fields the client sent, nested ones too, with their nulls: the merge patch."""
        return self.model_dump(mode="json", exclude_unset=True)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: ``patch`` applied to ``target``."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = merge_patch(merged.get(name), value)
    return merged
