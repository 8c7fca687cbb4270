"""The evaluator: everything due in its index up to now, turned into notifications and handed over.

A run reads the index's shards in parallel, one page at a time, oldest first. A task entry is
decided (``notice.decide``) and either recorded as a transition (the task's notice and the
notification in one transaction: of two evaluators one commits) or settled (its pending notice
cleared, its entry moved to its next instant). The notifications a page recorded are then handed
over: one queue message per delivery and one bus event each, and only then taken out of the
index. A run that dies in between leaves them due, so the next run hands them over again; the
sender's claim makes a second message harmless. Deliveries held by quiet hours are released the
same way when their hold ends.
"""

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import grant_removals, messaging, notifications_repo
from shared.data.keys import (
    EVAL_SHARDS,
    account_of,
    notification_of_delivery,
    notification_sk,
    task_of_notification,
)
from shared.data.task_items import eval_keys
from shared.ids import parent_of
from shared.observability import count, logger, publish_metrics
from shared.services.grant_expiry import expire, tell_owner
from shared.services.notice import Verdict, decide, notice_dict
from shared.services.overlays import go_on

DETAIL_TYPE = "Service task status changed"
# Shards read and decided at once: all of them in AWS, where each thread mostly waits on a call.
# The local stack sets fewer: its moto serves one request at a time in this very process.
PARALLEL_SHARDS = int(os.environ.get("EVALUATOR_PARALLEL_SHARDS", EVAL_SHARDS))


@dataclass
class RunReport:
    """What one run did: the notifications it recorded, handed over, and what it left."""

    transitions: list[dict[str, Any]] = field(default_factory=list)
    handed_over: int = 0
    settled: int = 0
    released: int = 0
    lost_races: int = 0
    providers_removed: int = 0
    backlog: bool = False
    entries_read: int = 0

    def add(self, other: "RunReport") -> None:
        self.transitions += other.transitions
        self.handed_over += other.handed_over
        self.settled += other.settled
        self.released += other.released
        self.lost_races += other.lost_races
        self.providers_removed += other.providers_removed
        self.backlog = self.backlog or other.backlog
        self.entries_read += other.entries_read


def _notification(entry: dict[str, Any], verdict: Verdict, now: datetime) -> dict[str, Any]:
    assert verdict.status is not None
    account_id = account_of(entry["PK"])
    sk = notification_sk(entry["id"], verdict.notice.occurrence, verdict.notice.round, verdict.status)
    fields = {
        "task_id": entry["id"],
        "asset_id": entry["asset_id"],
        "task_name": entry.get("name"),
        "occurrence": verdict.notice.occurrence,
        "round": verdict.notice.round,
        "status": verdict.status,
        "previous": verdict.previous,
        "cause": verdict.cause,
        "facts": verdict.facts,
        "recipients": entry.get("recipients") or {},
    }
    return notifications_repo.notification_item(account_id, sk, fields, now)


def _decide_task(entry: dict[str, Any], now: datetime, report: RunReport) -> dict[str, Any] | None:
    """The notification recorded for a task's entry, if its transition was recorded here."""
    verdict = decide(entry, now)
    moved = {"pending_notice": None, **eval_keys(entry["id"], verdict.wake)}
    if verdict.status is None:
        report.settled += int(notifications_repo.settle_entry(entry, moved))
        return None
    notification = _notification(entry, verdict, now)
    moved["notice"] = notice_dict(verdict.notice, now)
    if not notifications_repo.commit_transition(entry, moved, notification):
        report.lost_races += 1
        return None
    report.transitions.append(notification)
    return notification


def _message(pk: str, notification: str, channel: str, to: str, now: datetime) -> dict[str, Any]:
    """The queue message of one delivery, named by its keys, with the time it was handed over."""
    task_id = task_of_notification(notification)
    return {
        "account": account_of(pk),
        "notification": notification,
        "task_id": task_id,
        "asset_id": parent_of(task_id, "tsk", "ast"),
        "time": to_iso(now),
        "channel": channel,
        "to": to,
    }


def delivery_messages(notification: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """One queue message per recipient of a notification."""
    recipients = notification.get("recipients") or {}
    channels = [("sms", to) for to in recipients.get("sms") or []]
    channels += [("email", to) for to in recipients.get("emails") or []]
    return [
        _message(notification["PK"], notification["SK"], channel, to, now)
        for channel, to in dict.fromkeys(channels)
    ]


def event_detail(notification: dict[str, Any]) -> dict[str, Any]:
    fields = (
        "task_id",
        "asset_id",
        "task_name",
        "occurrence",
        "round",
        "status",
        "previous",
        "at",
        "cause",
        "facts",
    )
    recipients = notification.get("recipients") or {}
    return {
        "account_id": account_of(notification["PK"]),
        "notification": notification["SK"],
        **{name: notification.get(name) for name in fields},
        "push": bool(recipients.get("push")),
    }


def hand_over(notifications: list[dict[str, Any]], now: datetime) -> int:
    """Queue the deliveries and publish the events of recorded notifications, then take them out
    of the index. Repeating it is harmless: the sender sends each delivery once."""
    if not notifications:
        return 0
    messages: list[dict[str, Any]] = []
    for notification in notifications:
        own = delivery_messages(notification, now)
        if not own:
            logger.info("no recipients to notify", extra={"notification": notification["SK"]})
        messages += own
    messaging.enqueue(messages)
    messaging.publish_events([event_detail(n) for n in notifications], DETAIL_TYPE)
    notifications_repo.handed_over(notifications)
    return len(notifications)


def _release(entry: dict[str, Any], now: datetime) -> None:
    """A delivery held by quiet hours whose hold is over: queued again, out of the index."""
    notification, channel, to = notification_of_delivery(entry["SK"])
    messaging.enqueue([_message(entry["PK"], notification, channel, to, now)])
    notifications_repo.release_held(entry["PK"], entry["SK"])


def _shard(shard: int, now: datetime, stop: Callable[[], bool]) -> RunReport:
    report = RunReport()
    after: Any = None
    while True:
        if stop():
            report.backlog = True
            return report
        entries, after = notifications_repo.due_entries(shard, now, after)
        report.entries_read += len(entries)
        recorded: list[dict[str, Any]] = []
        leftovers: dict[str, list[str]] = {}
        for entry in entries:
            kind = entry.get("entity")
            if kind == "task":
                if (notification := _decide_task(entry, now, report)) is not None:
                    recorded.append(notification)
            elif kind == "notification":
                leftovers.setdefault(entry["PK"], []).append(entry["SK"])
            elif kind == "delivery":
                _release(entry, now)
                report.released += 1
            elif kind == "grant":  # taken back 4 hours ago and not given again
                report.providers_removed += int(expire(*grant_removals.of_sweep_entry(entry), now))
            elif kind == "removal":  # a provider left: the owner is told
                tell_owner(entry)
            elif kind == "overlay":  # more assets than one request brings to an overlay
                go_on(entry, now)
        for pk, sks in leftovers.items():  # recorded by a run that stopped before handing them over
            recorded += notifications_repo.get_notifications(account_of(pk), sks)
        report.handed_over += hand_over(recorded, now)
        if after is None:
            return report


def run(now: datetime, stop: Callable[[], bool] = lambda: False) -> RunReport:
    """Evaluate everything due up to ``now``; ``stop`` says when to stop paging (the rest stays
    due for the next run, reported as backlog)."""
    report = RunReport()
    with ThreadPoolExecutor(max_workers=PARALLEL_SHARDS) as pool:
        for shard_report in pool.map(lambda shard: _shard(shard, now, stop), range(EVAL_SHARDS)):
            report.add(shard_report)
    count("Transitions", len(report.transitions))
    count("Backlog", int(report.backlog))
    count("HeldReleased", report.released)
    return report


# The schedule's time may run ahead of the clock by a little (its window); never by more.
MAX_LEAD = timedelta(minutes=5)
# A run stops paging this long before its timeout; what is left stays due for the next run.
STOP_BEFORE_TIMEOUT_MS = 60_000


def run_scheduled(event: dict[str, Any], clock_now: datetime, context: Any) -> dict[str, Any]:
    """A scheduled run at the event's time (a retried event evaluates its own time again)."""
    now = clock_now
    try:
        now = min(from_iso(str(event["time"])), clock_now + MAX_LEAD)
    except (KeyError, TypeError, ValueError):
        logger.warning("the event names no time; evaluating at the clock's", extra={"event": event})
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    stop = (lambda: remaining() < STOP_BEFORE_TIMEOUT_MS) if remaining else (lambda: False)
    try:
        report = run(now, stop)
    finally:
        publish_metrics()
    return {
        "time": to_iso(now),
        "transitions": len(report.transitions),
        "handed_over": report.handed_over,
        "settled": report.settled,
        "released": report.released,
        "lost_races": report.lost_races,
        "entries_read": report.entries_read,
        "backlog": report.backlog,
    }
