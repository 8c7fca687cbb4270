"""Who sees a plan: its owner, and anyone while it is published for a brand and model.

A plan another account cannot see is a 404, as if it did not exist (the API never confirms an id
it does not show). The relations that show a plan to others are docs/plans.md's "Visibility".
"""

from typing import Any, Literal

from shared.data import plans_repo
from shared.faults import not_found
from shared.ids import is_valid_id

Access = Literal["own", "network", "public", "assigned"]


def access_to(caller: str, item: dict[str, Any] | None, assigned: bool = False) -> Access | None:
    """How the caller sees the plan ``item`` (None: it does not). ``assigned``: the plan is
    assigned to an asset the caller reaches (as its owner or provider)."""
    if item is None:
        return None
    if item["owner"] == caller:
        return "own"
    if item.get("public"):
        return "public"
    return "assigned" if assigned else None


def read_plan(plan_id: str) -> dict[str, Any] | None:
    return plans_repo.get(plan_id) if is_valid_id(plan_id, "pln") else None


def visible_plan(caller: str, plan_id: str, field: str | None = None) -> tuple[dict[str, Any], Access]:
    """The plan and how the caller sees it; 404 (naming ``field`` when the id came in a body)."""
    item = read_plan(plan_id)
    access = access_to(caller, item)
    if item is None or access is None:
        raise not_found("Plan", field)
    return item, access
