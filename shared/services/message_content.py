"""A stored notification in the renderers' terms (``shared.notify``): what an SMS and an email say."""

from typing import Any, cast
from zoneinfo import ZoneInfo

from shared.clock import from_iso
from shared.notify.content import Fact, Transition
from shared.notify.email import email_message
from shared.notify.sms import sms_text


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    return from_iso(value) if kind == "date" else float(value)


def transition(notification: dict[str, Any], asset_name: str, tz: ZoneInfo) -> Transition:
    facts = tuple(
        Fact(
            kind=fact["kind"],
            status=fact["status"],
            due=_value(fact["kind"], fact["due"]),
            current=_value(fact["kind"], fact.get("current")),
        )
        for fact in notification.get("facts") or []
        if fact.get("due") is not None
    )
    return Transition(
        status=cast(Any, notification["status"]),
        previous=cast(Any, notification.get("previous") or "planned"),
        task_name=str(notification.get("task_name") or ""),
        asset_name=asset_name,
        at=from_iso(notification["at"]),
        time_zone=tz.key,
        facts=facts,
        task_id=notification["task_id"],
        asset_id=notification["asset_id"],
    )


def sms(t: Transition) -> str:
    return sms_text(t)


def email(t: Transition) -> tuple[str, str, str]:
    message = email_message(t)
    return message.subject, message.text, message.html
