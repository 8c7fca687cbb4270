"""An order's lines (parts, returns, labour, travel) and the totals they add up to.

A line's money is worked out when it is written (shared/domain/work_orders.py: half-up to the
currency's minor unit, returns negative) and the order's totals are summed again from its lines
in the same transaction, so the totals always match the lines. One currency per order: the
account's; a line naming another is refused.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.clock import to_iso
from shared.data import keys, settings_repo, work_orders_repo
from shared.domain import work_orders as rules
from shared.faults import conflict, invalid, not_found
from shared.ids import is_valid_id, new_id
from shared.models.settings import minor_unit
from shared.models.work_order_lines import Line, LineCreate, LinePage, LineQuery, LineUpdate
from shared.services import work_order_state as state
from shared.services.work_order_catalogue import require_rate

MAX_LINES = 200
_FIELDS = ("kind", "code", "description", "quantity", "unit_price", "rate_id", "tax_percent")
Change = Callable[
    [dict[str, Any], list[dict[str, Any]], str | None], tuple[dict[str, Any] | None, dict[str, Any]]
]


def _money(line: dict[str, Any]) -> rules.Line:
    return rules.Line(
        line["kind"],
        Decimal(str(line["quantity"])),
        Decimal(str(line["unit_price"])),
        Decimal(str(line.get("tax_percent") or 0)),
    )


def _amounts(line: dict[str, Any], currency: str | None) -> dict[str, Any]:
    decimals = minor_unit(currency)
    amounts = rules.line_amounts(_money(line), decimals)
    return {"net": float(amounts.net), "tax": float(amounts.tax), "gross": float(amounts.gross)}


def totals_of(lines: list[dict[str, Any]], currency: str | None) -> dict[str, Any]:
    decimals = minor_unit(currency)
    summed = rules.totals([_money(line) for line in lines], decimals)

    def plain(amounts: rules.Amounts) -> dict[str, float]:
        return {"net": float(amounts.net), "tax": float(amounts.tax), "gross": float(amounts.gross)}

    return {
        "currency": currency,
        **plain(summed.total),
        "by_kind": {kind: plain(amounts) for kind, amounts in summed.by_kind.items()},
    }


def _priced(
    account_id: str, line: dict[str, Any], currency: str | None, given: dict[str, Any]
) -> dict[str, Any]:
    """The line with its price (from its hourly rate, if it names one) and its amounts."""
    if given.get("currency") not in (None, currency):
        reason = f"an order's lines are in the account's currency ({currency or 'none set'})"
        raise invalid("body.currency", reason, "currency_mismatch")
    if given.get("rate_id") is not None:
        rate = require_rate(account_id, given["rate_id"], "body.rate_id")
        line.update(unit_price=rate["price_per_hour"], rate_id=rate["id"], rate_name=rate["name"])
    elif given.get("unit_price") is not None:
        line.update(rate_id=None, rate_name=None)
    line["currency"] = currency
    return {**line, **_amounts(line, currency)}


def _write(
    account_id: str,
    order_id: str,
    line_id: str | None,
    expected_version: int | None,
    now: datetime,
    by: str,
    change: Change,
    currency: str | None,
) -> dict[str, Any] | None:
    """Apply ``change`` (order, its lines, the line named -> the line after, the event) and
    commit the line, the order's new totals (in the account's ``currency``, read once by the
    caller) and the event together."""

    def step() -> dict[str, Any] | None:
        order = state.load(account_id, order_id, expected_version)
        state.require_open(order)
        lines = list(work_orders_repo.partition(account_id, order_id, keys.ORDER_LINE))
        if line_id is not None and not any(line["id"] == line_id for line in lines):
            raise not_found("Line")
        line, event = change(order, lines, line_id)
        kept = [item for item in lines if item["id"] != (line or {}).get("id", line_id)]
        after_lines = [*kept, line] if line is not None else kept
        updated = {**order, "totals": totals_of(after_lines, currency)}
        after, part = state.changed(account_id, updated, by, now, event)
        pk = keys.order_pk(account_id, order_id)
        if line is not None:
            write = work_orders_repo.put_item(
                {**line, "PK": pk, "SK": keys.order_line_sk(line["id"]), "entity": "line"}
            )
        else:
            assert line_id is not None
            write = work_orders_repo.delete_item(pk, keys.order_line_sk(line_id))
        state.commit(account_id, order, after, [part, write])
        return line

    return state.guarded(step, expected_version)


def add_line(
    account_id: str, order_id: str, body: LineCreate, expected_version: int | None, now: datetime, by: str
) -> Line:
    currency = settings_repo.get_settings(account_id).currency
    given = body.model_dump(exclude_none=True)
    fresh = {"id": new_id("li"), "created_at": to_iso(now), "updated_at": to_iso(now), "tax_percent": 0.0}

    def change(
        order: dict[str, Any], lines: list[dict[str, Any]], _: str | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if len(lines) >= MAX_LINES:
            raise conflict(f"an order has at most {MAX_LINES} lines", None, "too_many_lines")
        line = _priced(
            account_id, {**fresh, **{k: v for k, v in given.items() if k in _FIELDS}}, currency, given
        )
        return line, {
            "type": "line_added",
            "to": line["id"],
            "changes": {"line": {"from": None, "to": line["kind"]}},
        }

    written = _write(account_id, order_id, None, expected_version, now, by, change, currency)
    return Line.model_validate(written)


def update_line(
    account_id: str,
    order_id: str,
    line_id: str,
    body: LineUpdate,
    expected_version: int | None,
    now: datetime,
    by: str,
) -> Line:
    if not is_valid_id(line_id, "li"):
        raise not_found("Line")
    currency = settings_repo.get_settings(account_id).currency
    given = {name: getattr(body, name) for name in body.model_fields_set}

    def change(
        order: dict[str, Any], lines: list[dict[str, Any]], named: str | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        before = next(line for line in lines if line["id"] == named)
        merged = {
            **before,
            **{k: v for k, v in given.items() if k in _FIELDS and k != "rate_id"},
            "updated_at": to_iso(now),
        }
        if merged.get("unit_price") is None and given.get("rate_id") is None:
            raise invalid("body.unit_price", "a line needs a unit_price or a rate_id", "price_needed")
        line = _priced(account_id, merged, currency, given)
        changes = {
            k: {"from": before.get(k), "to": line.get(k)} for k in _FIELDS if before.get(k) != line.get(k)
        }
        return line, {"type": "line_changed", "to": line["id"], "changes": changes}

    written = _write(account_id, order_id, line_id, expected_version, now, by, change, currency)
    return Line.model_validate(written)


def delete_line(
    account_id: str, order_id: str, line_id: str, expected_version: int | None, now: datetime, by: str
) -> None:
    if not is_valid_id(line_id, "li"):
        raise not_found("Line")

    def change(
        order: dict[str, Any], lines: list[dict[str, Any]], named: str | None
    ) -> tuple[None, dict[str, Any]]:
        return None, {"type": "line_removed", "from": named}

    currency = settings_repo.get_settings(account_id).currency
    _write(account_id, order_id, line_id, expected_version, now, by, change, currency)


def list_lines(account_id: str, order_id: str, query: LineQuery) -> LinePage:
    state.load(account_id, order_id)
    page = work_orders_repo.partition_page(account_id, order_id, keys.ORDER_LINE, query.limit, query.next)
    return LinePage(items=[Line.model_validate(item) for item in page.items], next=page.next)


def get_line(account_id: str, order_id: str, line_id: str) -> Line:
    state.load(account_id, order_id)
    line = (
        work_orders_repo.order_item(account_id, order_id, keys.order_line_sk(line_id))
        if is_valid_id(line_id, "li")
        else None
    )
    if line is None:
        raise not_found("Line")
    return Line.model_validate(line)
