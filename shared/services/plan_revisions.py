"""Applying a plan revision to assets on another one: ``POST /plans/{id}/revisions/{n}/apply``.

For each asset of the caller on the plan (or those named), the assignment moves to revision n
in one transaction with its tasks and the asset's summary: a planned service new in n becomes a
task, one gone from n takes its task with it, one changed changes its task's fields and places
its current occurrence again (shared/services/plan_tasks.py, ``replanned``). A dry run computes
the very same changes and writes nothing, so what it shows is what applying does.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import assignments_repo, plans_repo, tasks_repo
from shared.data.keys import account_of
from shared.faults import Fault, conflict, not_found
from shared.models.revision_apply import (
    AssetApplied,
    RevisionApplied,
    RevisionApply,
    ServiceAdded,
    ServiceChanged,
    ServiceRemoved,
)
from shared.services import file_links
from shared.services.item_errors import refused
from shared.services.overlays import effective
from shared.services.plan_access import visible_plan
from shared.services.plan_tasks import plan_tasks, replanned
from shared.services.provided_access import customers_of
from shared.services.task_deletes import PARALLEL_ASSETS
from shared.services.task_transactions import commit, guarded, load_asset, put

# The parts of a plan task that a revision sets.
_PLANNED = ("name", "description", "conditions", "repeat", "anchor")


def _due(task: dict[str, Any]) -> dict[str, Any]:
    occurrence = task["occurrence"]
    return {
        "odometer_km": occurrence.get("due_km"),
        "hours": occurrence.get("due_hours"),
        "date": occurrence.get("due_date"),
    }


def _apply_to(
    caller: str,
    asset_id: str,
    plan: dict[str, Any],
    services: list[dict[str, Any]],
    revision: int,
    dry_run: bool,
    now: datetime,
    as_provider: str | None = None,
) -> AssetApplied:
    """Move one asset of ``caller`` (the asset's owner; for a provider, its customer, and then only
    an assignment ``as_provider`` provides for) to the revision."""

    def step() -> tuple[AssetApplied, list[dict[str, Any]]]:
        assignment = assignments_repo.get(caller, asset_id, plan["id"])
        if assignment is None or as_provider not in (None, assignment.get("provider")):
            raise not_found("Assignment")
        if assignment.get("state") == "inactive":  # its tasks wait as they were for a provider
            reason = "the assignment's provider left; it takes a revision once one provides for it again"
            raise conflict(reason, "body.asset_ids", "assignment_inactive")
        context = load_asset(caller, asset_id, "body.asset_ids")
        before = int(assignment["revision"])
        result = AssetApplied(asset_id=asset_id, status=200, revision_before=before)
        if before == revision:
            return result, []
        moved = {
            **assignment,
            "revision": revision,
            "version": int(assignment["version"]) + 1,
            "updated_at": to_iso(now),
        }
        owned = [task for task in context.tasks if task["id"] in set(assignment.get("task_ids") or [])]
        by_service = {task["plan"]["planned_service_id"]: task for task in owned}
        provider = assignment.get("provider")  # its overlays over the plan make the thresholds
        current = effective(provider, plan["id"], asset_id, services) if provider else services
        wanted = {service["id"]: service for service in current}
        gone = [task for psv, task in by_service.items() if psv not in wanted]
        changed, new_services = [], []
        if assignment.get("provider"):
            new_services = [service for psv, service in wanted.items() if psv not in by_service]
            for psv, task in by_service.items():
                if psv in wanted:
                    changed.append((task, replanned(context, task, wanted[psv], moved, now)))
        added = plan_tasks(caller, context, moved, new_services, None, now, "body") if new_services else []
        result.added = [
            ServiceAdded(planned_service_id=t["plan"]["planned_service_id"], due=_due(t)) for t in added
        ]
        result.changed = [
            ServiceChanged(
                planned_service_id=old["plan"]["planned_service_id"],
                task_id=old["id"],
                due_before=_due(old),
                due_after=_due(new),
            )
            for old, new in changed
            if any(old.get(name) != new.get(name) for name in _PLANNED) or _due(old) != _due(new)
        ]
        result.removed = [
            ServiceRemoved(planned_service_id=t["plan"]["planned_service_id"], task_id=t["id"]) for t in gone
        ]
        if dry_run:
            return result, []
        kept = [task for task in context.tasks if task not in gone]
        after, parts = [], []
        for old, new in changed:
            task, part = put(caller, context, new, int(old["version"]), now)
            after.append(task)
            parts.append(part)
        for new in added:
            task, part = put(caller, context, new, None, now)
            after.append(task)
            parts.append(part)
        parts += [tasks_repo.delete_task(caller, task) for task in gone]
        moved["task_ids"] = [task["id"] for task in after]
        parts.insert(0, assignments_repo.put(moved, int(assignment["version"])))
        replaced = {old["id"] for old, _ in changed}
        tasks_after = [task for task in kept if task["id"] not in replaced] + after
        commit(caller, context, tasks_after, parts, now, task_count_delta=len(added) - len(gone))
        return result, gone

    try:
        result, gone = guarded(step, None)
    except Fault as fault:
        status, error = refused(fault)
        return AssetApplied(asset_id=asset_id, status=status, error=error)
    if gone:
        file_links.tasks_deleted(caller, gone, file_links.asset_prefix(asset_id))
    return result


def apply_revision(
    caller: str, plan_id: str, revision: int, body: RevisionApply, now: datetime
) -> RevisionApplied:
    plan, _ = visible_plan(caller, plan_id)
    services = plans_repo.services_at(plan, revision)
    if services is None:
        raise not_found("Revision")
    # The caller's own assets on the plan, and its customers' it provides the plan for (in force).
    owners = {
        item["asset_id"]: caller for item in assignments_repo.owner_assignments_of_plan(caller, plan_id)
    }
    provided = [
        item["asset_id"]
        for item in assignments_repo.provided_of_plan(caller, plan_id)
        if account_of(item["PK"]) != caller
    ]
    owners.update(customers_of(caller, provided))
    asset_ids = list(body.asset_ids) if body.asset_ids is not None else sorted(owners)

    def apply(asset_id: str) -> AssetApplied:
        owner = owners.get(asset_id, caller)
        provider = caller if owner != caller else None
        return _apply_to(owner, asset_id, plan, services, revision, body.dry_run, now, provider)

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        results = list(pool.map(apply, asset_ids))
    succeeded = sum(1 for result in results if result.error is None)
    return RevisionApplied(
        plan_id=plan_id,
        revision=revision,
        dry_run=body.dry_run,
        succeeded=succeeded,
        failed=len(results) - succeeded,
        results=results,
    )
