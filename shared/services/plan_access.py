"""Who sees a plan: its owner, the member providers of its networks, anyone while it is
published for a brand and model, and (in an assignment) whoever reaches an asset it is assigned to.

A plan another account cannot see is a 404, as if it did not exist (the API never confirms an id
it does not show). The relations that show a plan to others are docs/plans.md's "Visibility".
"""

from typing import Any, Literal

from shared.data import networks_repo, plans_repo
from shared.faults import not_found
from shared.ids import is_valid_id

Access = Literal["own", "network", "public", "assigned"]


def in_network(caller: str, item: dict[str, Any] | None) -> bool:
    """Whether the caller is a member provider of a network the plan is in (one BatchGetItem
    of its memberships, only for a plan in some network)."""
    ids = (item or {}).get("network_ids") or []
    return bool(ids) and item is not None and item["owner"] != caller and networks_repo.member_of(caller, ids)


def access_to(
    caller: str, item: dict[str, Any] | None, assigned: bool = False, member: bool = False
) -> Access | None:
    """How the caller sees the plan ``item`` (None: it does not). ``member``: the caller is a
    member of a network the plan is in (in_network); ``assigned``: the plan is assigned to an
    asset the caller reaches (as its owner or provider)."""
    if item is None:
        return None
    if item["owner"] == caller:
        return "own"
    if member:
        return "network"
    if item.get("public"):
        return "public"
    return "assigned" if assigned else None


def read_plan(plan_id: str) -> dict[str, Any] | None:
    return plans_repo.get(plan_id) if is_valid_id(plan_id, "pln") else None


def visible_plan(caller: str, plan_id: str, field: str | None = None) -> tuple[dict[str, Any], Access]:
    """The plan and how the caller sees it; 404 (naming ``field`` when the id came in a body)."""
    item = read_plan(plan_id)
    access = access_to(caller, item, member=in_network(caller, item))
    if item is None or access is None:
        raise not_found("Plan", field)
    return item, access
