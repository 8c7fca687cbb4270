"""How a provider reaches a customer's asset: through its own link, which names the owner
(G4 in docs/data-model.md). A link taken back, or none, is a 404 like any asset never shown."""

from typing import Any

from shared.data import grants_repo
from shared.data.tasks_repo import Context
from shared.faults import NotFound, not_found
from shared.services.task_transactions import load_asset


def in_force(link: dict[str, Any] | None) -> bool:
    return link is not None and "granted_at" in link and not link.get("revoked_at")


def customers_of(provider: str, asset_ids: list[str]) -> dict[str, str]:
    """The owners of those of these assets granted to ``provider`` and not taken back, by asset
    (one BatchGetItem of its links per 100; none for no assets)."""
    links = grants_repo.links_of(provider, asset_ids) if asset_ids else {}
    return {asset_id: link["owner"] for asset_id, link in links.items() if in_force(link)}


def customer_of(provider: str, asset_id: str, field: str | None = None) -> str:
    """The owner of an asset granted to ``provider`` and not taken back; else 404."""
    link = grants_repo.get_link(provider, asset_id)
    if not in_force(link):
        raise not_found("Asset", field)
    assert link is not None
    return str(link["owner"])


def reach(caller: str, asset_id: str, field: str) -> tuple[str, Context]:
    """The owner of an asset the caller owns or provides for, and its context (task writes):
    the caller's own first, so an owner pays nothing for the providers' way in."""
    try:
        return caller, load_asset(caller, asset_id, field)
    except NotFound:
        owner = customer_of(caller, asset_id, field)
    return owner, load_asset(owner, asset_id, field)


def provides(caller: str, task: dict[str, Any]) -> bool:
    """Whether the caller is the provider of a plan task."""
    return (task.get("plan") or {}).get("provider_account_id") == caller
