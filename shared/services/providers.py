"""Providers: an asset owner lets another account see and service some of its assets (grants),
and what such a provider sees of them (G1-G8 in docs/data-model.md, docs/plans.md "Providers").

A grant shows the asset to the provider through the provider's link; taking it back hides the
asset at once (the provider gets a 404, as for any asset it was never shown). A provider sees
nothing of the owner beyond the assets granted.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import assets_repo, grant_removals, grants_repo, provided_links
from shared.data.grants_repo import Gone, TooMany
from shared.data.provided_links import MAX_PROVIDERS
from shared.domain.service_status import status_at
from shared.faults import Fault, conflict, invalid, not_found
from shared.models.providers import (
    Grant,
    GrantPage,
    GrantQuery,
    ProvidedAsset,
    ProvidedAssetEntry,
    ProvidedAssetPage,
    ProvidedAssetQuery,
    ProvidedService,
    ProviderAssetResult,
    ProviderAssets,
    ProviderAssetsResult,
)
from shared.services.asset_views import to_asset
from shared.services.grant_expiry import WINDOW, expire, is_over
from shared.services.item_errors import refused
from shared.services.provided_access import customer_of
from shared.services.task_deletes import PARALLEL_ASSETS
from shared.services.versioned import retried


def _grant(owner: str, provider: str, asset_id: str, field: str, now: datetime) -> int:
    def attempt() -> int:
        asset = assets_repo.get_asset_item(owner, asset_id)
        if asset is None:
            raise not_found("Asset", field)
        grant = grants_repo.get_grant(owner, asset_id, provider)
        if grant is not None and is_over(grant, now):
            expire(owner, asset_id, provider, now)  # too late to restore: gone first, then new
            grant = grants_repo.get_grant(owner, asset_id, provider)
        if grant is not None and not grant.get("revoked_at"):
            return 200  # granted already
        seen = int(grant["version"]) if grant else None
        granted_at = grant["granted_at"] if grant else to_iso(now)
        version = (seen or 0) + 1
        fields = {"provider": provider, "asset_id": asset_id, "granted_at": granted_at, "version": version}
        link = {"name": asset["name"], "granted_at": granted_at, "revoked_at": None, "version": version}
        if grant is None:
            del link["revoked_at"]
        try:
            grants_repo.write(
                grants_repo.grant_item(owner, asset_id, provider, fields),
                grants_repo.link_item(owner, asset_id, provider, link),
                seen,
            )
        except TooMany:
            reason = f"the asset has {MAX_PROVIDERS} providers, the most it can have; take one back first"
            raise conflict(reason, field, "too_many_providers") from None
        except Gone:
            raise not_found("Asset", field) from None
        return 201 if grant is None else 200

    return retried(attempt, field)


def _revoke(owner: str, provider: str, asset_id: str, field: str, now: datetime) -> int:
    def attempt() -> int:
        grant = grants_repo.get_grant(owner, asset_id, provider)
        if grant is None:
            raise not_found("Grant", field)
        if grant.get("revoked_at"):
            if is_over(grant, now):
                expire(owner, asset_id, provider, now)
            return 200  # taken back already: the first time counts
        seen = int(grant["version"])
        revoked = {**grant, "revoked_at": to_iso(now), "version": seen + 1}
        revoked.update(grant_removals.sweep_keys(grant, now + WINDOW))  # the sweep at the window's end
        link = grants_repo.link_item(
            owner, asset_id, provider, {"revoked_at": to_iso(now), "version": seen + 1}
        )
        grants_repo.write(revoked, link, seen)
        return 200

    return retried(attempt, field)


def _answer(operation: str, index: int, asset_id: str, run: Any) -> ProviderAssetResult:
    try:
        status = run()
    except Fault as fault:
        failed, error = refused(fault)
        return ProviderAssetResult(
            index=index, operation=operation, asset_id=asset_id, status=failed, error=error
        )
    return ProviderAssetResult(index=index, operation=operation, asset_id=asset_id, status=status)


def change_provider_assets(
    owner: str, provider: str, body: ProviderAssets, now: datetime
) -> ProviderAssetsResult:
    """Grant the provider some assets and take others back, each on its own."""
    if provider == owner:
        reason = "an account does not grant itself its own assets; provide for them with provide_for"
        raise invalid("path.account_id", reason, "own_account")
    jobs = [
        ("add", index, asset_id, lambda a=asset_id, i=index: _grant(owner, provider, a, f"body.add.{i}", now))
        for index, asset_id in enumerate(body.add)
    ] + [
        (
            "remove",
            index,
            asset_id,
            lambda a=asset_id, i=index: _revoke(owner, provider, a, f"body.remove.{i}", now),
        )
        for index, asset_id in enumerate(body.remove)
    ]
    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        results = list(pool.map(lambda job: _answer(*job), jobs))
    succeeded = sum(1 for result in results if result.error is None)
    return ProviderAssetsResult(
        provider_account_id=provider, succeeded=succeeded, failed=len(results) - succeeded, results=results
    )


def _grant_view(item: dict[str, Any]) -> Grant:
    return Grant.model_validate({**item, "provider_account_id": item["provider"]})


def list_grants(owner: str, query: GrantQuery) -> GrantPage:
    page = grants_repo.grants_page(owner, query.asset_id, query.limit, query.next)
    return GrantPage(items=[_grant_view(item) for item in page.items], next=page.next)


def _provided(item: dict[str, Any], owner: str, now: datetime) -> ProvidedAsset:
    return ProvidedAsset.model_validate({**to_asset(item, now).model_dump(), "customer_account_id": owner})


def _entry(link: dict[str, Any], now: datetime) -> ProvidedAssetEntry:
    summary = provided_links.summary_of(link)
    service = ProvidedService(
        status=status_at(summary, now),
        open_tasks=summary.open_tasks,
        warn_at=summary.warn_at,
        due_at=summary.due_at,
        plan_ids=list(summary.plan_ids),
    )
    return ProvidedAssetEntry(
        asset_id=link["asset_id"],
        name=link["name"],
        customer_account_id=link["owner"],
        granted_at=link["granted_at"],
        service=service,
    )


def list_provided_assets(provider: str, query: ProvidedAssetQuery, now: datetime) -> ProvidedAssetPage:
    """The assets granted to the caller and not taken back, from its links alone: by asset, or by
    the status of its own open tasks on them, soonest first (G3, G5)."""
    if query.service_status:
        page = provided_links.by_service(
            provider,
            frozenset(query.service_status),
            query.customer_id,
            query.plan_id,
            query.limit,
            query.next,
            now,
        )
    else:
        page = grants_repo.links_page(provider, query.customer_id, query.plan_id, query.limit, query.next)
    return ProvidedAssetPage(items=[_entry(link, now) for link in page.items], next=page.next)


def get_provided_asset(provider: str, asset_id: str, now: datetime) -> ProvidedAsset:
    owner = customer_of(provider, asset_id)
    item = assets_repo.get_asset_item(owner, asset_id)
    if item is None:
        raise not_found("Asset")
    return _provided(item, owner, now)
