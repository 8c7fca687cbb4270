"""An order's public status link: a page a customer may open without an account.

The reference is 32 random bytes; only its SHA-256 is stored (under the only key outside the
accounts' partitions), so the table never holds a working link. Making a new link revokes the
old one; revoking deletes it, after which the reference is a 404 like any unknown one. The page
shows what a customer may see and nothing else: no ids, contacts, assignees, lines, prices or
internal notes.
"""

import base64
import hashlib
import re
import secrets
from datetime import datetime
from itertools import islice
from typing import Any

from shared.clock import to_iso
from shared.data import keys, public_links_repo, work_orders_repo
from shared.domain.work_orders import order_number
from shared.faults import not_found
from shared.ids import ID_PATTERNS
from shared.models.public_status import PublicLink, PublicStatus
from shared.services import work_order_state as state
from shared.services.work_order_catalogue import find_type

PUBLIC_PATH = "/public/work-orders/"
MAX_NOTES = 50  # the newest customer notes shown


def _hash(reference: str) -> str:
    return hashlib.sha256(reference.encode()).hexdigest()


def create_link(account_id: str, order_id: str, base_url: str, now: datetime, by: str) -> PublicLink:
    reference = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")

    def step() -> PublicLink:
        order = state.load(account_id, order_id)
        old = (order.get("public_link") or {}).get("hash")
        linked = {**order, "public_link": {"hash": _hash(reference), "created_at": to_iso(now)}}
        after, event = state.changed(account_id, linked, by, now, {"type": "public_link_created"})
        parts = [event, public_links_repo.link_put(_hash(reference), account_id, order_id, to_iso(now))]
        if old:
            parts.append(public_links_repo.link_delete(old))
        state.commit(account_id, order, after, parts)
        return PublicLink(reference=reference, url=f"{base_url}{PUBLIC_PATH}{reference}", created_at=now)

    return state.guarded(step, None)


def revoke_link(account_id: str, order_id: str, now: datetime, by: str) -> None:
    """Delete the order's public link (none: nothing to do)."""

    def step() -> None:
        order = state.load(account_id, order_id)
        old = (order.get("public_link") or {}).get("hash")
        if not old:
            return
        after, event = state.changed(
            account_id, {**order, "public_link": None}, by, now, {"type": "public_link_revoked"}
        )
        state.commit(account_id, order, after, [event, public_links_repo.link_delete(old)])

    state.guarded(step, None)


def _step(account_id: str, order: dict[str, Any]) -> tuple[str, int, int]:
    """The status's name and its place in the workflow: open statuses by position, then closed."""
    statuses = state.statuses(account_id)
    open_ones = sorted((s for s in statuses if s.category == "open"), key=lambda s: s.position)
    steps = len(open_ones) + 1
    current = state.status_of(statuses, order["status"])
    name = current.name if current else order["status"]
    if order["state"] == "closed":
        return name, steps, steps
    place = next((i for i, s in enumerate(open_ones) if s.key == order["status"]), 0)
    return name, place + 1, steps


def public_status(reference: str) -> PublicStatus:
    link = (
        public_links_repo.find_link(_hash(reference))
        if re.match(ID_PATTERNS["reference"], reference)
        else None
    )
    order = work_orders_repo.get_order(link["account_id"], link["order_id"]) if link else None
    if link is None or order is None or (order.get("public_link") or {}).get("hash") != _hash(reference):
        raise not_found("Work order")
    account_id = link["account_id"]
    status, step, steps = _step(account_id, order)
    kind, _ = find_type(account_id, order["type"])  # a type deleted since: its key is all there is
    newest = work_orders_repo.partition(account_id, order["id"], keys.ORDER_NOTE, forward=False)
    shown = islice((note for note in newest if note.get("visibility") == "customer"), MAX_NOTES)
    notes = [{"text": note["text"], "created_at": note["created_at"]} for note in shown]
    site = order.get("site")
    return PublicStatus.model_validate(
        {
            **{name: order.get(name) for name in ("title", "state", "planned_start", "planned_end")},
            **{name: order.get(name) for name in ("actual_start", "actual_end")},
            "number": order_number(int(order["number"])),
            "type": kind.name if kind else order["type"],
            "status": status,
            "step": step,
            "steps": steps,
            "site": {"name": site["name"], "city": (site.get("address") or {}).get("city")} if site else None,
            "assets": [asset["name"] for asset in order.get("assets") or []],
            "notes": notes,
        }
    )
