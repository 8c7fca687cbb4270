"""Who sees a plan: its owner, and anyone while it is published for a brand and model.

A plan another account cannot see is a 404, as if it did not exist (the API never confirms an id
it does not show). The relations that show a plan to others are docs/plans.md's "Visibility".
"""

from typing import Any, Literal

from shared.data import plans_repo
from shared.faults import not_found
from shared.ids import is_valid_id

Access = Literal["own", "network", "public", "provider"]


def visible_plan(caller: str, plan_id: str, field: str | None = None) -> tuple[dict[str, Any], Access]:
    """The plan and how the caller sees it; 404 (naming ``field`` when the id came in a body)."""
    item = plans_repo.get(plan_id) if is_valid_id(plan_id, "pln") else None
    if item is not None:
        if item["owner"] == caller:
            return item, "own"
        if item.get("public"):
            return item, "public"
    raise not_found("Plan", field)
