"""The provider's side of a link: its own tasks' summary of the asset, kept on the link (G5, G6 in
docs/data-model.md).

Every write that stores an asset's service summary (a task write, a reading that moves a task,
a work order) recomputes each provider's summary over that provider's open plan tasks. The asset
keeps a short fingerprint per provider (``provided``); only a provider whose fingerprint changed
gets its link updated, in the same transaction as the asset. A link with open tasks of its
provider is in GSI4 under ``ACCOUNT#<provider>#PROVIDED`` by its earliest warning instant, so
"what needs service across my customers" is one key range, as for the owner's GSI2.
"""

import json
import zlib
from datetime import datetime
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import keys, plan_keys
from shared.data.asset_lists import statuses_filter
from shared.data.dynamo import TABLE_NAME, key, set_and_remove, to_values
from shared.data.pages import PageResult, query_page
from shared.domain.service_status import STATUS_RULES, ProvidedSummary, ServiceSummary

# An asset has at most this many providers (grants_repo counts them), so a write of its summary
# changes at most this many links.
MAX_PROVIDERS = 5


def _iso(moment: datetime | None) -> str | None:
    return to_iso(moment) if moment else None


def fingerprint(summary: ProvidedSummary) -> str:
    """Eight hex digits that change whenever what the link shows of the summary changes."""
    shown = [summary.open_tasks, _iso(summary.warn_at), _iso(summary.due_at), list(summary.plan_ids)]
    return f"{zlib.crc32(json.dumps(shown).encode()):08x}"


def fingerprints(owner: str, summary: ServiceSummary) -> dict[str, str] | None:
    """What the asset keeps of its providers' summaries (the owner providing itself has no link)."""
    kept = {p: fingerprint(s) for p, s in summary.provided.items() if p != owner}
    return kept or None


def summary_fields(provider: str, asset_id: str, summary: ProvidedSummary | None) -> dict[str, Any]:
    """The link's summary attributes (None: removed), GSI4 keys only while it has open tasks."""
    if summary is None:
        return dict.fromkeys(
            ("service_open", "service_warn_at", "service_due_at", "plan_ids", "GSI4PK", "GSI4SK")
        )
    warn = _iso(summary.warn_at)
    return {
        "service_open": summary.open_tasks,
        "service_warn_at": warn,
        "service_due_at": _iso(summary.due_at),
        "plan_ids": list(summary.plan_ids) or None,
        "GSI4PK": plan_keys.provided_gsi4pk(provider),
        "GSI4SK": plan_keys.provided_gsi4sk(warn, asset_id),
    }


def summary_of(link: dict[str, Any]) -> ProvidedSummary:
    """The provider's summary a link keeps (summary_fields read back)."""

    def moment(name: str) -> datetime | None:
        return from_iso(link[name]) if link.get(name) else None

    return ProvidedSummary(
        open_tasks=int(link.get("service_open", 0)),
        warn_at=moment("service_warn_at"),
        due_at=moment("service_due_at"),
        plan_ids=tuple(link.get("plan_ids") or ()),
    )


def link_filter(
    owner: str | None, plan_id: str | None, values: dict[str, Any]
) -> tuple[str, dict[str, str] | None]:
    """The filter on links in force (of ``owner``, with open tasks of ``plan_id``) and its names;
    adds its values to ``values``."""
    filters = ["attribute_not_exists(revoked_at)"]
    names = None
    if owner is not None:
        filters.append("#owner = :owner")
        values[":owner"] = owner
        names = {"#owner": "owner"}
    if plan_id is not None:
        filters.append("contains(plan_ids, :plan)")
        values[":plan"] = plan_id
    return " AND ".join(filters), names


def link_parts(owner: str, asset: dict[str, Any], summary: ServiceSummary | None) -> list[Any]:
    """Transaction parts that update the links whose provider's summary changed from what the
    asset as read (``asset``) recorded; none in the usual case (and for no new summary)."""
    if summary is None:
        return []
    before: dict[str, str] = asset.get("provided") or {}
    after = {p: s for p, s in summary.provided.items() if p != owner}
    parts = []
    for provider in sorted(set(before) | set(after)):
        now_summary = after.get(provider)
        if (fingerprint(now_summary) if now_summary else None) == before.get(provider):
            continue
        fields = summary_fields(provider, asset["id"], now_summary)
        expression, names, values = set_and_remove(fields)
        update: dict[str, Any] = {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(provider), plan_keys.link_sk(asset["id"])),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            # A provider has open tasks on an asset only while it has its link.
            "ConditionExpression": "attribute_exists(PK)",
        }
        if values:
            update["ExpressionAttributeValues"] = to_values(values)
        parts.append({"Update": update})
    return parts


def by_service(
    provider: str,
    statuses: frozenset[str],
    owner: str | None,
    plan_id: str | None,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> PageResult:
    """The provider's links in force with open tasks of its own, by service status (G5): upcoming
    and overdue are the key range up to now; the stored instants tell which."""
    stamp = to_iso(now)
    pk = plan_keys.provided_gsi4pk(provider)
    condition = "GSI4PK = :pk"
    values: dict[str, Any] = {":pk": pk}
    if "planned" not in statuses:
        condition += " AND GSI4SK <= :now_key"
        values[":now_key"] = keys.up_to(stamp)
    filters, names = link_filter(owner, plan_id, values)
    if statuses < STATUS_RULES.keys():
        filters += " AND " + statuses_filter(statuses)
        values[":now"] = stamp
    return query_page(
        key_condition=condition,
        values=to_values(values),
        partition={"GSI4PK": pk},
        limit=limit,
        cursor=cursor,
        index="GSI4",
        filter_expression=filters,
        names=names,
    )
