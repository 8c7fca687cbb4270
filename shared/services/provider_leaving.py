"""A provider leaving assignments it provided for (docs/plans.md, "Revocation", "Networks"): each
loses its provider and becomes inactive, its open tasks kept as they were (status ``inactive``,
out of every index), in one transaction per asset with the asset's summary. Whoever provides for
such an assignment again takes its tasks on as they were (plan_tasks.revived).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import assignments_repo
from shared.data.keys import account_of
from shared.data.tasks_repo import Context
from shared.services.task_deletes import PARALLEL_ASSETS
from shared.services.task_transactions import commit, guarded, load_asset, put, replacing


def leave_parts(
    owner: str, context: Context, assignments: list[dict[str, Any]], now: datetime
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The parts that make these assignments (as read) inactive with their open tasks, and the
    asset's tasks after them."""
    tasks, parts = list(context.tasks), []
    for assignment in assignments:
        owned = set(assignment.get("task_ids") or [])
        for task in [t for t in context.tasks if t["id"] in owned and t["state"] == "open"]:
            left = {**task, "state": "inactive", "plan": {**task["plan"], "provider_account_id": None}}
            updated, part = put(owner, context, left, int(task["version"]), now)
            tasks = replacing(tasks, updated, task["id"])
            parts.append(part)
        seen = int(assignment["version"])
        inactive = {**assignment, "provider": None, "state": "inactive", "version": seen + 1}
        parts.append(assignments_repo.put({**inactive, "updated_at": to_iso(now)}, seen))
    return parts, tasks


def provided_on(
    owner: str, asset_id: str, provider: str, plan_ids: set[str] | None = None
) -> list[dict[str, Any]]:
    """The asset's assignments the provider provides for (of these plans, if given), as stored."""
    return [
        a
        for a in assignments_repo.asset_assignments(owner, asset_id)
        if a.get("provider") == provider and (plan_ids is None or a["plan_id"] in plan_ids)
    ]


def _leave_asset(owner: str, asset_id: str, provider: str, plan_ids: set[str], now: datetime) -> int:
    def step() -> int:
        mine = provided_on(owner, asset_id, provider, plan_ids)
        if not mine:
            return 0
        context = load_asset(owner, asset_id, "asset_id")
        parts, tasks = leave_parts(owner, context, mine, now)
        commit(owner, context, tasks, parts, now)
        return len(mine)

    return guarded(step, None)


def leave_plans(provider: str, plan_ids: set[str], now: datetime) -> int:
    """The provider leaves every assignment of these plans it provides for, on any asset; returns
    how many it left."""
    assets = sorted(
        {
            (assignment["PK"], assignment["asset_id"])
            for plan_id in sorted(plan_ids)
            for assignment in assignments_repo.provided_of_plan(provider, plan_id)
        }
    )
    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        counts = pool.map(
            lambda each: _leave_asset(account_of(each[0]), each[1], provider, plan_ids, now),
            assets,
        )
        return sum(counts)
