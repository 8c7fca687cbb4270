"""Lists of assets (A2-A5, T5 in docs/data-model.md): by account, by type, by service status."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import keys, plan_keys
from shared.data.dynamo import get_items, key, to_values
from shared.data.pages import PageResult, query_page
from shared.domain.assets import fold
from shared.domain.service_status import STATUS_RULES, Bound


@dataclass(frozen=True)
class AssetFilter:
    """What a list of assets asks for; every field narrows it."""

    type: str | None = None
    brand: str | None = None
    model: str | None = None
    text: str | None = None  # in name, serial number or external id, case-insensitive
    service_status: frozenset[str] = frozenset()
    limit: int = 50
    cursor: str | None = None


def list_assets(account_id: str, wanted: AssetFilter, now: datetime) -> PageResult:
    """Assets of one account, oldest first; by type through GSI1, other filters on the way."""
    filters, values = [], {}
    if wanted.brand:
        filters.append("brand_f = :brand")
        values[":brand"] = fold(wanted.brand)
    if wanted.model:
        filters.append("model_f = :model")
        values[":model"] = fold(wanted.model)
    if wanted.text:
        filters.append("(contains(name_f, :q) OR contains(serial_f, :q) OR contains(external_f, :q))")
        values[":q"] = fold(wanted.text)
    if wanted.service_status:
        return _by_service(account_id, wanted, filters, values, now)
    if wanted.type:
        pk = keys.asset_type_gsi1pk(account_id, wanted.type)
        condition, index, partition = "GSI1PK = :pk", "GSI1", {"GSI1PK": pk}
    else:
        pk = keys.account_pk(account_id)
        condition, index, partition = "PK = :pk AND begins_with(SK, :prefix)", None, {"PK": pk}
        values[":prefix"] = "ASSET#"
    values[":pk"] = pk
    page = query_page(
        key_condition=condition,
        values=to_values(values),
        partition=partition,
        limit=wanted.limit,
        cursor=wanted.cursor,
        index=index,
        filter_expression=" AND ".join(filters) or None,
    )
    return _whole(page) if index else page


def on_plan(account_id: str, plan_id: str, limit: int, cursor: str | None) -> PageResult:
    """One page of the account's assets on a plan (A5): its assignments' index entries, then the
    assets read whole (BatchGetItem)."""
    gsi7pk = plan_keys.plan_assignments_gsi7pk(plan_id)
    page = query_page(
        key_condition="GSI7PK = :pk AND begins_with(GSI7SK, :owner)",
        values=to_values({":pk": gsi7pk, ":owner": plan_keys.owner_assignments_prefix(account_id)}),
        partition={"GSI7PK": gsi7pk},
        limit=limit,
        cursor=cursor,
        index="GSI7",
    )
    assets = [{"PK": item["PK"], "SK": keys.asset_sk(item["asset_id"])} for item in page.items]
    return _whole(PageResult(assets, page.next))


def _whole(page: PageResult) -> PageResult:
    """A page read from an asset index, with its assets read whole (one BatchGetItem): the
    indexes keep only what their filters need. An asset deleted in between is left out."""
    if not page.items:
        return page
    wanted = [key(item["PK"], item["SK"]) for item in page.items]
    found = {item["SK"]: item for item in get_items(wanted, consistent=False)}
    return PageResult([found[item["SK"]] for item in page.items if item["SK"] in found], page.next)


def _bound(bound: Bound) -> str:
    """One rule of a status (domain/service_status.STATUS_RULES) on the stored summary instants."""
    name = f"service_{bound.instant}"
    return f"{name} <= :now" if bound.reached else f"(attribute_not_exists({name}) OR {name} > :now)"


def _status_filter(status: str) -> str:
    parts = [_bound(bound) for bound in STATUS_RULES[status]]  # type: ignore[index]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"  # DynamoDB refuses ((x))


def statuses_filter(statuses: frozenset[str] | set[str]) -> str:
    """The filter on the stored summary instants (``service_warn_at``, ``service_due_at``, against
    ``:now``) that keeps the items with one of these statuses."""
    chosen = [_status_filter(status) for status in sorted(statuses)]
    return chosen[0] if len(chosen) == 1 else "(" + " OR ".join(chosen) + ")"


def _by_service(
    account_id: str, wanted: AssetFilter, filters: list[str], values: dict[str, Any], now: datetime
) -> PageResult:
    """Assets by service status through GSI2, which orders assets with open tasks by warning time.

    Upcoming and overdue assets are those whose warning time has passed: one key range. Which of
    the two, and planned, is told by the stored due and warning instants.
    """
    stamp = to_iso(now)
    pk = keys.service_gsi2pk(account_id)
    condition = "GSI2PK = :pk"
    values[":pk"] = pk
    if "planned" not in wanted.service_status:
        condition += " AND GSI2SK <= :now_key"
        values[":now_key"] = stamp
    if wanted.service_status < STATUS_RULES.keys():
        filters.append(statuses_filter(wanted.service_status))
        values[":now"] = stamp
    if wanted.type:
        filters.append("#type = :type")
        values[":type"] = wanted.type
    return _whole(
        query_page(
            key_condition=condition,
            values=to_values(values),
            partition={"GSI2PK": pk},
            limit=wanted.limit,
            cursor=wanted.cursor,
            index="GSI2",
            filter_expression=" AND ".join(filters) or None,
            names={"#type": "type"} if wanted.type else None,
        )
    )
