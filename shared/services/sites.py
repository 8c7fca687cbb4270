"""An account's sites (C9): customers' locations and the depots that do the work. Work orders
copy the site they name, so a change or deletion of a site leaves existing orders as they are."""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import catalogue_repo, keys
from shared.ids import new_id
from shared.models.sites import Address, Site, SiteCreate, SitePage, SiteQuery, SiteUpdate
from shared.services.catalogue_entries import change_entry, delete_entry, stored_entry

WHAT = "Site"


def _address(value: Address | None) -> dict[str, Any] | None:
    """The parts of an address that were given (an address with none is no address)."""
    if value is None:
        return None
    parts = {name: part for name, part in value.model_dump().items() if part is not None}
    return parts or None


def create_site(account_id: str, body: SiteCreate, now: datetime) -> Site:
    site_id = new_id("sit")
    fields = {
        "entity": "site",
        "id": site_id,
        "name": body.name,
        "number": body.number,
        "kind": body.kind,
        "address": _address(body.address),
        "created_at": to_iso(now),
    }
    return Site.model_validate(catalogue_repo.put(account_id, keys.site_sk(site_id), fields, None, now))


def get_site(account_id: str, site_id: str) -> Site:
    return Site.model_validate(stored_entry(account_id, keys.site_sk(site_id), WHAT))


def list_sites(account_id: str, query: SiteQuery) -> SitePage:
    """Oldest first (ids are time-ordered)."""
    only = ("kind", query.kind) if query.kind is not None else None
    page = catalogue_repo.page(account_id, catalogue_repo.SITES, query.limit, query.next, only)
    return SitePage(items=[Site.model_validate(item) for item in page.items], next=page.next)


def update_site(
    account_id: str, site_id: str, body: SiteUpdate, expected_version: int | None, now: datetime
) -> Site:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if "address" in changes:
        changes["address"] = _address(body.address)
    item = change_entry(account_id, keys.site_sk(site_id), WHAT, lambda _: changes, expected_version, now)
    return Site.model_validate(item)


def delete_site(account_id: str, site_id: str, expected_version: int | None) -> None:
    delete_entry(account_id, keys.site_sk(site_id), WHAT, expected_version)
