"""The sender: one queue message, one delivery, sent at most once (docs/notifications.md).

A message names a delivery (notification, channel, recipient). The sender claims it (creates
its item, or moves it out of ``retry`` or ``held``) with a lease, checks whether it should still
go (the task still at that occurrence and round, the recipient not opted out, an SMS not in quiet
hours), renders it, hands it to the provider and records ``sent`` with the provider's id. A
message for a delivery already settled is acknowledged without a send, so a repeated message is
harmless. Once the provider has taken a message it is never sent again: if recording that fails
for good, the next attempt finds the claim past its lease and marks the delivery ``unknown``.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.clock import from_iso, to_iso
from shared.data import deliveries_repo, messaging
from shared.data.keys import account_pk, delivery_sk
from shared.data.notifications_repo import NOTIFICATION_RETENTION
from shared.data.settings_repo import to_settings
from shared.data.task_items import eval_keys
from shared.domain.quiet_hours import quiet_until
from shared.observability import count, logger
from shared.services import message_content

LEASE = timedelta(seconds=60)  # longer than the sender's timeout (30 s)
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 900
RECORD_TRIES = 3


class TryLater(Exception):
    """The message is to be received again later (the delivery is busy or will be retried)."""


@dataclass(frozen=True)
class Message:
    account: str
    notification: str
    channel: str
    to: str
    task_id: str
    asset_id: str
    time: datetime

    @property
    def pk(self) -> str:
        return account_pk(self.account)

    @property
    def sk(self) -> str:
        return delivery_sk(self.notification, self.channel, self.to)


def parse(body: dict[str, Any]) -> Message:
    """A queue message's body; one that is not a delivery raises (the queue's DLQ keeps it)."""
    if body.get("channel") not in ("sms", "email"):
        raise ValueError("not a delivery message: channel must be sms or email")
    names = ("account", "notification", "channel", "to", "task_id", "asset_id")
    return Message(**{name: str(body[name]) for name in names}, time=from_iso(str(body["time"])))


def _claim(message: Message, now: datetime) -> dict[str, Any] | None:
    """The delivery as claimed for this attempt; None when it is settled (nothing to do)."""
    lease = to_iso(now + LEASE)
    fresh = {
        "PK": message.pk,
        "SK": message.sk,
        "entity": "delivery",
        "channel": message.channel,
        "to": message.to,
        "task_id": message.task_id,
        "state": "sending",
        "attempts": 1,
        "lease_until": lease,
        "created_at": to_iso(now),
        "updated_at": to_iso(now),
        "expires_at": int((now + NOTIFICATION_RETENTION).timestamp()),
    }
    if deliveries_repo.create(fresh):
        return fresh
    found = deliveries_repo.get(message.pk, message.sk)
    if found is None:
        raise TryLater("the delivery vanished while it was claimed")
    state = found["state"]
    if state in ("retry", "held"):
        fields = {
            "state": "sending",
            "lease_until": lease,
            "updated_at": to_iso(now),
            **eval_keys(message.sk, None),
        }
        if not deliveries_repo.move(message.pk, message.sk, found, fields, attempt=True):
            raise TryLater("another sender claimed the delivery")
        return {**found, **fields, "attempts": int(found["attempts"]) + 1}
    if state == "sending":
        if from_iso(found["lease_until"]) > now:
            raise TryLater("another sender holds the delivery")
        reason = "the sender stopped after calling the provider; not sent again"
        if deliveries_repo.move(
            message.pk, message.sk, found, {"state": "unknown", "reason": reason, "lease_until": None}
        ):
            count("DeliveryUnknown")
            logger.error("delivery outcome unknown", extra={"delivery": message.sk})
    return None  # sent, failed, suppressed or unknown: settled


def _settle(message: Message, claimed: dict[str, Any], fields: dict[str, Any], now: datetime) -> bool:
    return deliveries_repo.move(
        message.pk, message.sk, claimed, {"lease_until": None, "updated_at": to_iso(now), **fields}
    )


def _why_not(message: Message, found: dict[str, Any]) -> str | None:
    """Why the delivery should not go any more, if so."""
    notification, task = found["notification"], found["task"]
    if notification is None:
        return "notification_expired"
    if task is None:
        return "task_deleted"
    notice = task.get("notice") or {}
    same_round = (notice.get("occurrence"), notice.get("round")) == (
        notification["occurrence"],
        notification["round"],
    )
    if task.get("state") != "open" or not same_round:
        return "task_changed"  # completed, or its status went down and came up again since
    if found["opt_out"] is not None:
        return "opted_out"
    return None


def _send(message: Message, found: dict[str, Any], tz: ZoneInfo) -> str:
    asset_name = (found["asset"] or {}).get("name") or message.asset_id
    transition = message_content.transition(found["notification"], asset_name, tz)
    if message.channel == "sms":
        return messaging.send_sms(message.to, message_content.sms(transition))
    subject, text, html = message_content.email(transition)
    return messaging.send_email(message.to, subject, text, html)


def _record_sent(message: Message, claimed: dict[str, Any], message_id: str, now: datetime) -> None:
    """Record the send; retried here, since the message must never be sent again."""
    fields = {"state": "sent", "message_id": message_id, "sent_at": to_iso(now)}
    for attempt in range(RECORD_TRIES):
        try:
            _settle(message, claimed, fields, now)
            return
        except Exception:
            if attempt == RECORD_TRIES - 1:
                raise
            time.sleep(0.1 * 2**attempt)


def deliver(body: dict[str, Any], receipt_handle: str, now: datetime) -> str:
    """Handle one queue message; the delivery's state afterwards ("settled" when it was already).
    Raises TryLater when the message is to come back later."""
    message = parse(body)
    now = max(now, message.time)  # a hand-over is never handled before it was made
    claimed = _claim(message, now)
    if claimed is None:
        return "settled"
    found = deliveries_repo.sender_context(
        message.account, message.notification, message.task_id, message.asset_id, message.to
    )
    if reason := _why_not(message, found):
        _settle(message, claimed, {"state": "suppressed", "reason": reason}, now)
        count("DeliveriesSuppressed")
        return "suppressed"
    settings = to_settings(found["settings"])
    tz = ZoneInfo(settings.time_zone)
    if message.channel == "sms" and settings.quiet_hours:
        until = quiet_until(now, tz, *settings.quiet_hours)
        if until is not None:
            _settle(
                message,
                claimed,
                {"state": "held", "held_until": to_iso(until), **eval_keys(message.sk, until)},
                now,
            )
            return "held"
    try:
        message_id = _send(message, found, tz)
    except messaging.ProviderRefused as refused:
        _settle(message, claimed, {"state": "failed", "reason": str(refused)}, now)
        count("DeliveriesFailed")
        return "failed"
    except messaging.ProviderBusy as busy:
        _settle(message, claimed, {"state": "retry", "reason": str(busy)}, now)
        delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (int(claimed["attempts"]) - 1))
        messaging.retry_later(receipt_handle, delay)
        raise TryLater(f"the provider is busy ({busy}); again in {delay} s") from busy
    _record_sent(message, claimed, message_id, now)
    count("SmsSent" if message.channel == "sms" else "EmailsSent")
    return "sent"
