"""Listing work orders and reading an order's change log.

Each list reads one key range (docs/data-model.md W3-W7): an exact number, the list copies of
one assignee, asset, customer, site or depot, one status (GSI7), open orders by planned start or
closed ones by close time (GSI6), else every order by number (GSI3). Whatever else the query
asks is a filter on that range, which reads at most ``pages.MAX_EXAMINED`` items per call and
hands back a cursor to go on from.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from shared.clock import to_iso
from shared.data import keys, work_orders_repo
from shared.data.dynamo import to_values
from shared.data.pages import query_page
from shared.domain.work_orders import sequence_of
from shared.faults import invalid
from shared.models.work_orders import EventPage, EventQuery, OrderEvent, OrderListQuery, OrderPage
from shared.services import work_order_state as state

_DIMENSIONS = {
    "assignee": "assignee",
    "asset_id": "asset",
    "customer_number": "customer",
    "site_id": "site",
    "depot_id": "depot",
}


_NAMED = (
    "state",
    "status",
    "type",
    "priority",
    "assignee_ids",
    "asset_ids",
    "site",
    "depot",
    "id",
    "customer",
    "number",
    "customer_f",
    "search_f",
    "planned_start",
    "closed",
    "at",
)


@dataclass
class _Plan:
    """The key range a list reads, and the filter it applies there."""

    pk_name: str
    pk: str
    index: str | None
    sk_name: str = "SK"
    sk_range: tuple[str, str] | None = None
    sk_equal: str | None = None
    conditions: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def where(self, condition: str, **values: Any) -> None:
        self.conditions.append(condition)
        self.values.update({f":{name}": value for name, value in values.items()})


def _range(low: Any, high: Any) -> tuple[str, str] | None:
    """Sort keys ``<instant>#<number>`` from ``low`` to ``high``; orders without the instant
    (``~#...``) only when neither is given."""
    if low is None and high is None:
        return None
    return (to_iso(low) if low else "0", keys.up_to(to_iso(high)) if high else keys.NO_TIME)


def _plan(account_id: str, query: OrderListQuery) -> _Plan:
    by = query.sort.removeprefix("-")
    dimension = next((name for name in _DIMENSIONS if getattr(query, name) is not None), None)
    if by != "number":
        state_wanted = "open" if by == "planned" else "closed"
        if query.state not in (None, state_wanted):
            raise invalid("query.sort", f"sort={by} lists {state_wanted} orders only", "sort_state")
        span = _range(
            query.planned_from if by == "planned" else query.closed_from,
            query.planned_to if by == "planned" else query.closed_to,
        )
        pk = keys.orders_by_state_gsi6pk(account_id, state_wanted)
        plan = _Plan("GSI6PK", pk, "GSI6", "GSI6SK", sk_range=span)
    elif query.number is not None:
        number = sequence_of(query.number)
        if number is None:
            raise invalid("query.number", "not an order number (WO-000042 or 42)")
        plan = _Plan(
            "GSI3PK", keys.orders_gsi3pk(account_id), "GSI3", "GSI3SK", sk_equal=keys.order_number_key(number)
        )
    elif dimension is not None:
        value = str(getattr(query, dimension))
        value = value.casefold() if dimension == "customer_number" else value
        plan = _Plan("PK", keys.orders_by_pk(account_id, _DIMENSIONS[dimension], value), None)
    elif query.status is not None:
        plan = _Plan("GSI7PK", keys.orders_by_status_gsi7pk(account_id, query.status), "GSI7", "GSI7SK")
    else:
        plan = _Plan("GSI3PK", keys.orders_gsi3pk(account_id), "GSI3", "GSI3SK")
    _filters(plan, query, dimension)
    return plan


def _filters(plan: _Plan, query: OrderListQuery, dimension: str | None) -> None:
    plan.names.update({f"#{name}": name for name in _NAMED})
    for name in ("state", "status", "type", "priority"):
        value = getattr(query, name)
        if value is None or (name == "status" and plan.index == "GSI7"):
            continue
        plan.where(f"#{name} = :{name}", **{name: value})
    if query.assignee is not None and dimension != "assignee":
        plan.where("contains(#assignee_ids, :assignee)", assignee=query.assignee)
    if query.asset_id is not None and dimension != "asset_id":
        plan.where("contains(#asset_ids, :asset)", asset=query.asset_id)
    for name, copied in (("site_id", "site"), ("depot_id", "depot")):
        if getattr(query, name) is not None and dimension != name:
            plan.where(f"#{copied}.#id = :{copied}", **{copied: getattr(query, name)})
    if query.customer_number is not None and dimension != "customer_number":
        plan.where("#customer.#number = :cnumber", cnumber=query.customer_number)
    if query.customer is not None:
        plan.where("contains(#customer_f, :customer)", customer=query.customer.casefold())
    if query.q is not None:
        plan.where("contains(#search_f, :q)", q=query.q.casefold())
    for name, bound, value in (
        ("#planned_start", ">=", query.planned_from),
        ("#planned_start", "<=", query.planned_to),
        ("#closed.#at", ">=", query.closed_from),
        ("#closed.#at", "<=", query.closed_to),
    ):
        if value is not None and plan.index != "GSI6":
            placeholder = f"t{len(plan.values)}"
            plan.where(f"{name} {bound} :{placeholder}", **{placeholder: to_iso(value)})
    # Only the names the filter uses may be sent.
    used = set(re.findall(r"#\w+", " ".join(plan.conditions)))
    plan.names = {name: value for name, value in plan.names.items() if name in used}


def list_orders(account_id: str, query: OrderListQuery) -> OrderPage:
    plan = _plan(account_id, query)
    condition = f"{plan.pk_name} = :pk"
    values = {":pk": plan.pk, **plan.values}
    if plan.sk_equal is not None:
        condition += f" AND {plan.sk_name} = :sk"
        values[":sk"] = plan.sk_equal
    elif plan.sk_range is not None:
        condition += f" AND {plan.sk_name} BETWEEN :low AND :high"
        values.update({":low": plan.sk_range[0], ":high": plan.sk_range[1]})
    page = query_page(
        key_condition=condition,
        values=to_values(values),
        partition={plan.pk_name: plan.pk},
        limit=query.limit,
        cursor=query.next,
        index=plan.index,
        filter_expression=" AND ".join(plan.conditions) or None,
        names=plan.names or None,
        forward=not query.sort.startswith("-"),
    )
    return OrderPage(items=[state.view(item) for item in page.items], next=page.next)


def list_events(account_id: str, order_id: str, query: EventQuery) -> EventPage:
    state.load(account_id, order_id)
    page = work_orders_repo.partition_page(
        account_id, order_id, keys.ORDER_EVENT, query.limit, query.next, query.order == "asc"
    )
    return EventPage(items=[OrderEvent.model_validate(item) for item in page.items], next=page.next)
