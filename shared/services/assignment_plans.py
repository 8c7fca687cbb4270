"""The plans a bulk assignment names, each read once per request, with what the caller may do
with them (plan_access) and the caller's overlays over them (docs/plans.md, "Assignments")."""

from threading import Lock
from typing import Any

from shared.data import overlays_repo, plans_repo
from shared.data.catalogue_repo import Moved
from shared.faults import not_found
from shared.services.overlays import effective
from shared.services.plan_access import access_to, in_network, read_plan
from shared.services.versioned import retried


class Plans:
    """The plans a request names, each read once; the first assignment of a plan's current
    revision marks it used, conditioned on the version read (docs/plans.md, "Revisions")."""

    def __init__(self, caller: str) -> None:
        self.caller, self.lock = caller, Lock()
        self.seen: dict[str, dict[str, Any] | None] = {}
        self.members: dict[str, bool] = {}
        self.overlays: dict[str, bool] = {}

    def overlaid(
        self, provider: str, plan: dict[str, Any], asset_id: str, revision: int
    ) -> list[dict[str, Any]]:
        """The plan's services at the revision, with the provider's overlays on the asset (read
        only if the provider has any over the plan: one Query per plan and request)."""
        with self.lock:
            if plan["id"] not in self.overlays:
                self.overlays[plan["id"]] = overlays_repo.has_any(provider, plan["id"])
        services = plans_repo.services_at(plan, revision) or []
        return effective(provider, plan["id"], asset_id, services, self.overlays[plan["id"]])

    def member(self, plan_id: str, item: dict[str, Any] | None) -> bool:
        with self.lock:
            if plan_id not in self.members:
                self.members[plan_id] = in_network(self.caller, item)
            return self.members[plan_id]

    def get(self, plan_id: str, field: str, assigned: bool = False) -> tuple[dict[str, Any], str]:
        """The plan and how the caller sees it (``assigned``: the plan of an assignment on an
        asset the caller reaches, which it sees whoever owns the plan); 404 naming ``field``."""
        with self.lock:
            if plan_id not in self.seen:
                self.seen[plan_id] = read_plan(plan_id)
            item = self.seen[plan_id]
        access = access_to(self.caller, item, assigned, self.member(plan_id, item))
        if item is None or access is None:
            raise not_found("Plan", field)
        return item, access

    def current_revision(self, plan_id: str, field: str) -> dict[str, Any]:
        """The plan as it is when its current revision is handed to a new assignment."""

        def attempt() -> dict[str, Any]:
            self.get(plan_id, field)
            with self.lock:  # one mark per plan, whichever entry comes first
                plan = self.seen[plan_id]
                assert plan is not None
                if plan.get("used"):
                    return plan
                try:
                    plans_repo.mark_used(plan_id, int(plan["version"]))
                except Moved:
                    del self.seen[plan_id]  # read it again: it may have a new revision
                    raise
                plan = {**plan, "used": True, "version": int(plan["version"]) + 1}
                self.seen[plan_id] = plan
                return plan

        return retried(attempt, field)
