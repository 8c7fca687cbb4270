"""Plan assignments (PA1-PA4): a plan on an asset, with or without a provider, in bulk.

``PUT /plan-assignments`` adds and removes up to 500 of each, every entry on its own: one
transaction per entry with its asset's summary, the entries of one asset one after the other,
assets side by side. An entry that is refused is answered with the status it alone would get;
the others go on. Activation (plan and provider) makes a task per planned service in the same
transaction as the assignment; removal deletes the assignment's tasks with it.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any

from shared.clock import to_iso
from shared.data import assignments_repo, plans_repo, tasks_repo
from shared.data.keys import account_of
from shared.data.pages import PageResult
from shared.data.tasks_repo import Context
from shared.faults import Fault, NotFound, conflict, invalid, not_found
from shared.ids import is_valid_id
from shared.models.assignments import (
    Assignment,
    AssignmentAdd,
    AssignmentChangeResult,
    AssignmentChanges,
    AssignmentPage,
    AssignmentQuery,
    AssignmentRemove,
    AssignmentResult,
)
from shared.services import file_links
from shared.services.assignment_plans import Plans
from shared.services.item_errors import refused
from shared.services.overlays import retune
from shared.services.plan_tasks import last_position, plan_tasks, revived
from shared.services.provided_access import customers_of
from shared.services.task_deletes import PARALLEL_ASSETS
from shared.services.task_transactions import commit, guarded, load_asset, put, replacing


class Loaded:
    """What a bulk change read up front in batches (assignments_repo.prefetch): the caller's own
    assets, then, for the others, the caller's links and the assets they name in their owners'
    partitions. Each entry's first round uses it; a round again, or an entry after another one
    of its asset wrote, reads fresh."""

    def __init__(self, caller: str, pairs: list[tuple[str, str]]) -> None:
        self.caller = caller
        self.assets, self.assignments, settings = assignments_repo.prefetch(
            [(caller, asset_id, plan_id) for asset_id, plan_id in pairs]
        )
        self.owners = dict.fromkeys(self.assets, caller)
        others = [(a, p) for a, p in pairs if a not in self.assets and is_valid_id(a, "ast")]
        self.owners.update(customers_of(caller, [asset_id for asset_id, _ in others]))
        provided = [(self.owners[a], a, p) for a, p in others if a in self.owners]
        if provided:
            assets, assignments, more = assignments_repo.prefetch(provided)
            self.assets.update(assets)
            self.assignments.update(assignments)
            settings.update(more)
        self.settings = settings
        self.written: set[str] = set()

    def read(
        self, asset_id: str, plan_id: str, field: str, first: bool
    ) -> tuple[str, Context, dict[str, Any] | None]:
        """The asset's owner and context (404 naming ``field`` if the caller may not reach it)
        and the assignment."""
        owner = self.owners.get(asset_id)
        if owner is None:
            raise not_found("Asset", field)
        if not first or asset_id in self.written:
            return owner, load_asset(owner, asset_id, field), assignments_repo.get(owner, asset_id, plan_id)
        asset = self.assets.get(asset_id)
        if asset is None:
            raise not_found("Asset", field)
        context = Context(asset=asset, settings=self.settings[owner])
        if int(asset.get("task_count", 0)) > 0:
            context.tasks = tasks_repo.asset_tasks(owner, asset_id)
        return owner, context, self.assignments.get((asset_id, plan_id))


def _matches(plan: dict[str, Any], asset: dict[str, Any]) -> bool:
    listing = plan.get("public") or {}
    return (str(asset.get("brand") or "").casefold(), str(asset.get("model") or "").casefold()) == (
        str(listing.get("brand", "")).casefold(),
        str(listing.get("model", "")).casefold(),
    )


def view(item: dict[str, Any], plan: dict[str, Any] | None) -> Assignment:
    revision = int(item["revision"])
    return Assignment.model_validate(
        {
            **item,
            "plan_owner_account_id": item["plan_owner"],
            "provider_account_id": item.get("provider"),
            "outdated": plan is not None and revision < int(plan["revision"]),
            "task_ids": item.get("task_ids") or [],
        }
    )


def _add(
    caller: str, index: int, entry: AssignmentAdd, plans: Plans, loaded: Loaded, now: datetime
) -> tuple[int, Assignment]:
    where = f"body.add.{index}"
    rounds = [0]

    def step() -> tuple[int, Assignment]:
        rounds[0] += 1
        owner, context, existing = loaded.read(
            entry.asset_id, entry.plan_id, f"{where}.asset_id", rounds[0] == 1
        )
        asset = context.asset
        assert asset is not None
        # An assigned plan is the asset's: its owner and provider see it; a new one must be theirs
        # to use (own, or published for the asset's brand and model).
        plan, access = plans.get(entry.plan_id, f"{where}.plan_id", assigned=existing is not None)
        if access == "public" and not _matches(plan, asset):
            reason = "the plan is published for another brand or model than the asset's"
            raise invalid(f"{where}.plan_id", reason, "plan_not_for_asset")
        provider = existing.get("provider") if existing else None
        if existing is not None and (provider or not entry.provide_for):
            if provider and provider != caller and entry.provide_for:
                reason = "another provider provides for this plan on the asset"
                raise conflict(reason, f"{where}.provide_for", "provided_by_other")
            return 200, view(existing, plan)  # as asked already
        if existing is None:
            plan = plans.current_revision(entry.plan_id, f"{where}.plan_id")
            item = assignments_repo.new_item(owner, entry.asset_id, entry.plan_id)
            item.update(plan_owner=plan["owner"], revision=int(plan["revision"]), created_at=to_iso(now))
            if entry.last_service is not None:
                item["last_service"] = entry.last_service.model_dump(mode="json", exclude_none=True)
        else:
            item = dict(existing)
        seen = int(existing["version"]) if existing else None
        last = entry.last_service.model_dump(exclude_none=True) if entry.last_service else None
        tasks, back = [], []
        if entry.provide_for:  # the plan's services with the caller's overlays over them
            services = plans.overlaid(caller, plan, entry.asset_id, int(item["revision"]))
        if entry.provide_for and item.get("state") == "inactive":
            item["provider"] = caller  # its provider left: its tasks go on as they were
            back = [retune(t, services, asset, now) or t for t in revived(context, item, caller, where)]
        elif entry.provide_for:
            item["provider"] = caller
            tasks = plan_tasks(
                owner, context, item, services, last_position(last, now, f"{where}.last_service"), now, where
            )
            item["task_ids"] = [task["id"] for task in tasks]
        item.update(
            state="active" if item.get("provider") else "pending",
            version=(seen or 0) + 1,
            updated_at=to_iso(now),
        )
        item.setdefault("task_ids", [])
        parts, made, after = [assignments_repo.put(item, seen)], [], list(context.tasks)
        for new in tasks:
            task, part = put(owner, context, new, None, now)
            made.append(task)
            parts.append(part)
        for old in back:
            task, part = put(owner, context, old, int(old["version"]), now)
            after = replacing(after, task, task["id"])
            parts.append(part)
        loaded.written.add(entry.asset_id)  # the asset moves: the next entry of it reads fresh
        commit(owner, context, [*after, *made], parts, now, task_count_delta=len(made))
        return (201 if existing is None else 200), view(item, plan)

    return guarded(step, None)


def _remove(
    caller: str, index: int, entry: AssignmentRemove, loaded: Loaded, now: datetime
) -> tuple[int, None]:
    where = f"body.remove.{index}"
    rounds = [0]

    def step() -> tuple[str, list[dict[str, Any]]]:
        rounds[0] += 1
        try:
            owner, context, existing = loaded.read(entry.asset_id, entry.plan_id, where, rounds[0] == 1)
        except NotFound:
            existing = None
        # A provider removes only what it provides for; anything else of the owner's is not its.
        if existing is None or (owner != caller and existing.get("provider") != caller):
            raise not_found("Assignment", where)
        loaded.written.add(entry.asset_id)
        owned = set(existing.get("task_ids") or [])
        gone = [task for task in context.tasks if task["id"] in owned]
        kept = [task for task in context.tasks if task["id"] not in owned]
        parts = [assignments_repo.delete(existing), *(tasks_repo.delete_task(owner, task) for task in gone)]
        commit(owner, context, kept, parts, now, task_count_delta=-len(gone))
        return owner, gone

    owner, gone = guarded(step, None)
    if gone:
        file_links.tasks_deleted(owner, gone, file_links.asset_prefix(entry.asset_id))
    return 204, None


def _result(
    operation: str, index: int, entry: Any, run: Callable[[], tuple[int, Assignment | None]]
) -> AssignmentResult:
    ids = {"index": index, "operation": operation, "asset_id": entry.asset_id, "plan_id": entry.plan_id}
    try:
        status, assignment = run()
    except Fault as fault:
        failed, error = refused(fault)
        return AssignmentResult(**ids, status=failed, error=error)
    return AssignmentResult(**ids, status=status, assignment=assignment)


def change_assignments(caller: str, body: AssignmentChanges, now: datetime) -> AssignmentChangeResult:
    plans = Plans(caller)
    pairs = [(entry.asset_id, entry.plan_id) for entry in body.add]
    pairs += [(entry.asset_id, entry.plan_id) for entry in body.remove]
    loaded = Loaded(caller, pairs)
    by_asset: dict[str, list[Callable[[], AssignmentResult]]] = {}
    for index, add in enumerate(body.add):
        adding = partial(_add, caller, index, add, plans, loaded, now)
        by_asset.setdefault(add.asset_id, []).append(partial(_result, "add", index, add, adding))
    for index, remove in enumerate(body.remove):
        removing = partial(_remove, caller, index, remove, loaded, now)
        by_asset.setdefault(remove.asset_id, []).append(partial(_result, "remove", index, remove, removing))

    def run(group: list[Callable[[], AssignmentResult]]) -> list[AssignmentResult]:
        return [job() for job in group]  # one asset's entries one after the other

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        results = [result for group in pool.map(run, by_asset.values()) for result in group]
    results.sort(key=lambda result: (result.operation != "add", result.index))
    succeeded = sum(1 for result in results if result.error is None)
    return AssignmentChangeResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)


def list_assignments(caller: str, query: AssignmentQuery) -> AssignmentPage:
    """The caller's assignments (of its assets), by asset; or those it provides for, by plan."""
    if query.provided:  # a customer's asset taken back is hidden at once, its assignments too
        page = assignments_repo.provided_page(caller, query.asset_id, query.limit, query.next)
        theirs = customers_of(caller, [i["asset_id"] for i in page.items if account_of(i["PK"]) != caller])
        shown = [i for i in page.items if account_of(i["PK"]) == caller or i["asset_id"] in theirs]
        page = PageResult(shown, page.next)
    else:
        page = assignments_repo.account_page(caller, query.asset_id, query.limit, query.next)
    plan_ids = {item["plan_id"] for item in page.items}
    plans = {plan["id"]: plan for plan in plans_repo.get_many(plan_ids)}
    return AssignmentPage(
        items=[view(item, plans.get(item["plan_id"])) for item in page.items], next=page.next
    )
