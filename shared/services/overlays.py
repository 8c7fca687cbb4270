"""Overlays (docs/plans.md, "Overlays"): a provider's own warning thresholds over a plan it
provides for, on all its assets of that plan or one, for all planned services or one. Writing or
deleting one brings the tasks it covers to their new thresholds: up to 500 assets in the request,
the rest by the evaluator, 500 a run (the overlay waits in GSI5 with where to go on from).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import assignments_repo, overlays_repo, plans_repo
from shared.data.keys import account_of
from shared.data.tasks_repo import Context
from shared.domain.overlays import LEADS, leads_for, overlaid
from shared.domain.plans import task_conditions
from shared.faults import invalid, not_found
from shared.ids import is_valid_id, new_id
from shared.models.overlays import Overlay, OverlayPage, OverlayPut, OverlayQuery
from shared.services.plan_access import access_to, in_network, read_plan
from shared.services.task_deletes import PARALLEL_ASSETS
from shared.services.task_engine import settled
from shared.services.task_transactions import commit, guarded, load_asset, put, replacing
from shared.services.versioned import retried

ASSETS_A_ROUND = 500
_INTERVAL = {"notify_before_h": ("hours", "every_h"), "notify_before_km": ("distance", "every_km")}


def counting(overlays: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The overlays that count (one being deleted no longer does)."""
    return {scope: item for scope, item in overlays.items() if not item.get("deleting")}


def effective(
    provider: str | None,
    plan_id: str,
    asset_id: str,
    services: list[dict[str, Any]],
    any_overlay: bool = True,
) -> list[dict[str, Any]]:
    """The planned services as the provider's overlays make them on the asset (one BatchGetItem;
    none when ``any_overlay`` says the provider has no overlay over the plan)."""
    if provider is None or not any_overlay or not services:
        return services
    found = counting(overlays_repo.covering(provider, plan_id, asset_id, [s["id"] for s in services]))
    return (
        [overlaid(service, leads_for(asset_id, service["id"], found)) for service in services]
        if found
        else services
    )


def with_conditions(
    task: dict[str, Any], conditions: dict[str, Any], asset: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """The task with other leads: a warning point recorded as reached no longer holds for a lead
    that changed (it is recorded again from the latest reading when passed)."""
    changed = {kind for kind in conditions if conditions.get(kind) != task["conditions"].get(kind)}
    occurrence = dict(task["occurrence"])
    occurrence["reached"] = {
        point: at
        for point, at in (occurrence.get("reached") or {}).items()
        if point.split(".")[0] not in changed
    }
    updated = {**task, "conditions": conditions, "occurrence": occurrence, "updated_at": to_iso(now)}
    return settled(updated, asset, now)


def retune(
    task: dict[str, Any], services: list[dict[str, Any]], asset: dict[str, Any], now: datetime
) -> dict[str, Any] | None:
    """The plan task with the thresholds of its planned service in ``services`` (as overlaid),
    or None if it has them already."""
    service = next((s for s in services if s["id"] == task["plan"]["planned_service_id"]), None)
    conditions = task_conditions(service["conditions"]) if service else task["conditions"]
    return None if conditions == task["conditions"] else with_conditions(task, conditions, asset, now)


def retuned(
    context: Context, assignment: dict[str, Any], services: list[dict[str, Any]], now: datetime
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(task as read, task with its thresholds) for the assignment's open tasks whose thresholds
    differ from ``services`` (as overlaid)."""
    assert context.asset is not None
    owned = set(assignment.get("task_ids") or [])
    out = []
    for task in context.tasks:
        new = retune(task, services, context.asset, now) if task["state"] == "open" else None
        if task["id"] in owned and new is not None:
            out.append((task, new))
    return out


def bring_asset(owner: str, asset_id: str, provider: str, plan_id: str, now: datetime) -> int:
    """Bring one asset's tasks of the plan the provider provides for to the overlays now in
    force; returns how many tasks changed."""

    def step() -> int:
        assignment = assignments_repo.get(owner, asset_id, plan_id)
        plan = plans_repo.get(plan_id)
        if assignment is None or assignment.get("provider") != provider or plan is None:
            return 0
        services = plans_repo.services_at(plan, int(assignment["revision"])) or []
        context = load_asset(owner, asset_id, "asset_id")
        changes = retuned(context, assignment, effective(provider, plan_id, asset_id, services), now)
        if not changes:
            return 0
        parts, tasks = [], list(context.tasks)
        for old, new in changes:
            task, part = put(owner, context, new, int(old["version"]), now)
            tasks = replacing(tasks, task, task["id"])
            parts.append(part)
        commit(owner, context, tasks, parts, now)
        return len(changes)

    return guarded(step, None)


def _targets(provider: str, overlay: dict[str, Any], after: str | None) -> list[tuple[str, str]]:
    """(owner, asset) of the assignments the overlay covers, by asset, after ``after``."""
    found = assignments_repo.provided_of_plan(provider, overlay["plan_id"])
    wanted = [
        (account_of(item["PK"]), item["asset_id"])
        for item in found
        if overlay.get("asset_id") in (None, item["asset_id"]) and (after is None or item["asset_id"] > after)
    ]
    return sorted(wanted, key=lambda pair: pair[1])


def _round(provider: str, overlay: dict[str, Any], after: str | None, now: datetime) -> tuple[int, bool]:
    """Bring the next round of the overlay's assets to it; (assets, whether all are done)."""
    targets = _targets(provider, overlay, after)
    now_round, rest = targets[:ASSETS_A_ROUND], targets[ASSETS_A_ROUND:]
    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        list(pool.map(lambda t: bring_asset(t[0], t[1], provider, overlay["plan_id"], now), now_round))
    if rest:
        overlays_repo.pending(overlay, now_round[-1][1], now)
    elif overlay.get("deleting"):
        overlays_repo.delete(overlay)
    elif overlay.get("pending"):
        overlays_repo.pending(overlay, None, None)
    return len(now_round), not rest


def go_on(entry: dict[str, Any], now: datetime) -> None:
    """The evaluator found an overlay whose assets are not all brought to it yet."""
    provider = overlays_repo.provider_of(entry)
    overlay = overlays_repo.get_by_id(provider, entry["id"])
    if overlay is not None:
        _round(provider, overlay, overlay.get("pending"), now)


def _check_leads(plan: dict[str, Any], body: OverlayPut) -> None:
    """A lead shorter than the interval of every planned service it covers."""
    for service in plan["planned_services"]:
        if body.planned_service_id not in (None, service["id"]):
            continue
        for lead, (kind, every) in _INTERVAL.items():
            value, condition = getattr(body, lead), service["conditions"].get(kind)
            if value is not None and condition and value >= condition[every]:
                reason = f"{lead} must be less than the interval of '{service['name']}' ({condition[every]})"
                raise invalid(f"body.{lead}", reason, "lead_too_long")


def view(item: dict[str, Any], assets: int = 0, done: bool | None = None) -> Overlay:
    finished = not item.get("pending") if done is None else done
    return Overlay.model_validate(
        {**item, "applied": "done" if finished else "in_progress", "assets": assets}
    )


def put_overlay(provider: str, body: OverlayPut, now: datetime) -> tuple[int, Overlay]:
    plan = read_plan(body.plan_id)
    provided = assignments_repo.provided_of_plan(provider, body.plan_id) if plan else []
    if access_to(provider, plan, assigned=bool(provided), member=in_network(provider, plan)) is None:
        raise not_found("Plan", "body.plan_id")
    assert plan is not None
    if body.planned_service_id and body.planned_service_id not in {s["id"] for s in plan["planned_services"]}:
        raise not_found("Planned service", "body.planned_service_id")
    if body.asset_id and body.asset_id not in {item["asset_id"] for item in provided}:
        raise not_found("Asset", "body.asset_id")  # not one the caller provides the plan for
    _check_leads(plan, body)
    leads = {lead: getattr(body, lead) for lead in LEADS}

    def attempt() -> tuple[int, dict[str, Any]]:
        existing = overlays_repo.get(provider, body.plan_id, body.asset_id, body.planned_service_id)
        seen = int(existing["version"]) if existing else None
        kept = None if existing is None or existing.get("deleting") else existing  # a deleted one is replaced
        fields = {
            **leads,
            "id": kept["id"] if kept else new_id("ovl"),
            "version": (seen or 0) + 1,
            "created_at": kept["created_at"] if kept else to_iso(now),
            "updated_at": to_iso(now),
        }
        item = overlays_repo.new_item(provider, body.plan_id, body.asset_id, body.planned_service_id, fields)
        overlays_repo.put(item, seen, new_id=kept is None)
        return (200 if kept else 201), item

    status, item = retried(attempt, "body")
    assets, done = _round(provider, item, None, now)
    return status, view(item, assets, done)


def list_overlays(provider: str, query: OverlayQuery) -> OverlayPage:
    page = overlays_repo.page(provider, query.plan_id, query.limit, query.next)
    items = [
        view(item) for item in page.items if item.get("entity") == "overlay" and not item.get("deleting")
    ]
    return OverlayPage(items=items, next=page.next)


def delete_overlay(provider: str, overlay_id: str, now: datetime) -> None:
    """Take an overlay away: the tasks it covered go back to the thresholds that hold without it."""
    overlay = overlays_repo.get_by_id(provider, overlay_id) if is_valid_id(overlay_id, "ovl") else None
    if overlay is None or overlay.get("deleting"):
        raise not_found("Overlay")
    marked = {**overlay, "deleting": True, "version": int(overlay["version"]) + 1}
    overlays_repo.put(marked, int(overlay["version"]))
    _round(provider, marked, None, now)
