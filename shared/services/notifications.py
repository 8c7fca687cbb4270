"""Reading notifications with their deliveries, and keeping recipients' opt-outs (N4, N7)."""

from datetime import datetime
from typing import Any

from shared.data import deliveries_repo, notifications_repo
from shared.data.dynamo import to_values
from shared.data.keys import (
    OPT_OUT,
    account_pk,
    asset_notifications_prefix,
    task_notifications_prefix,
)
from shared.data.pages import decode_cursor, encode_cursor, query_page
from shared.faults import invalid_cursor
from shared.models.notifications import (
    Notification,
    NotificationListQuery,
    NotificationPage,
    OptOut,
    OptOutPage,
    OptOutQuery,
    OptOutsIn,
)


def _after(cursor: str, account_id: str, prefix: str) -> str:
    """The notification a cursor points past; refused unless it belongs to this very list."""
    sk = str(decode_cursor(cursor, None, {"PK": account_pk(account_id)})["SK"]["S"])
    if not sk.startswith(prefix) or sk.count("#") != 4:
        raise invalid_cursor()
    return sk


def _view(item: dict[str, Any], deliveries: list[dict[str, Any]]) -> Notification:
    return Notification.model_validate(
        {
            **item,
            "recipients": item.get("recipients") or {},
            "handed_over": "GSI5PK" not in item,
            "deliveries": sorted(deliveries, key=lambda d: d["SK"]),
        }
    )


def list_notifications(account_id: str, query: NotificationListQuery) -> NotificationPage:
    """A task's or an asset's notifications, each with its deliveries."""
    if query.task_id is not None:
        prefix = task_notifications_prefix(query.task_id)
    else:
        assert query.asset_id is not None
        prefix = asset_notifications_prefix(query.asset_id)
    after = _after(query.next, account_id, prefix) if query.next else None
    descending = query.order == "desc"
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    loose: list[dict[str, Any]] = []  # deliveries met before their notification (descending)
    more = False
    for item in notifications_repo.notification_items(account_id, prefix, after, descending):
        if item["SK"] == after:
            continue
        if item.get("entity") == "delivery":
            if descending:
                loose.append(item)
            elif groups:
                groups[-1][1].append(item)
            continue
        if len(groups) == query.limit:
            more = True
            break
        groups.append((item, loose if descending else []))
        loose = []
    items = [_view(notification, deliveries) for notification, deliveries in groups]
    return NotificationPage(items=items, next=encode_cursor(groups[-1][0], None) if more else None)


def add_opt_outs(account_id: str, body: OptOutsIn, now: datetime) -> OptOutPage:
    """Opt recipients out (again: harmless); the opt-outs as stored."""
    wanted = [(phone, "sms") for phone in body.sms] + [(address, "email") for address in body.emails]
    stored = [
        deliveries_repo.put_opt_out(account_id, to, channel, now) for to, channel in dict.fromkeys(wanted)
    ]
    return OptOutPage(items=[OptOut.model_validate(item) for item in stored], next=None)


def list_opt_outs(account_id: str, query: OptOutQuery) -> OptOutPage:
    pk = account_pk(account_id)
    page = query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values({":pk": pk, ":prefix": OPT_OUT}),
        partition={"PK": pk},
        limit=query.limit,
        cursor=query.next,
    )
    return OptOutPage(items=[OptOut.model_validate(item) for item in page.items], next=page.next)


def remove_opt_out(account_id: str, recipient: str) -> None:
    """Let a recipient receive messages again (one never opted out: nothing to do)."""
    deliveries_repo.delete_opt_out(account_id, recipient)
