"""Service networks (docs/plans.md, "Networks"): an account's group of providers that may use
the plans it puts in it. A network shows no asset (grants do); it lets its member providers see
and assign its plans, with `access: network`. A provider taken out of a network leaves, at once,
the assignments of the network's plans it provided for (their tasks wait inactive).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import networks_repo, plans_repo
from shared.data.catalogue_repo import Moved
from shared.data.networks_repo import MOST_MEMBERS, Full
from shared.data.plan_keys import MEMBER_PLAN, MEMBER_PROVIDER
from shared.faults import Fault, conflict, invalid, not_found
from shared.ids import is_valid_id, new_id
from shared.models.networks import (
    MemberChanges,
    MemberChangesResult,
    MemberResult,
    Network,
    NetworkCreate,
    NetworkDetail,
    NetworkPage,
    NetworkQuery,
)
from shared.services.item_errors import refused
from shared.services.network_access import WHAT, reached
from shared.services.plan_access import in_network
from shared.services.provider_leaving import leave_plans
from shared.services.versioned import check_version, retried


def _view(network: dict[str, Any], caller: str) -> Network:
    return Network.model_validate(
        {
            **network,
            "owner_account_id": network["owner"],
            "role": "owner" if network["owner"] == caller else "member",
            "providers": int(network.get("providers", 0)),
            "plans": int(network.get("plans", 0)),
            "version": int(network["version"]) if network["owner"] == caller else None,
        }
    )


def create_network(owner: str, body: NetworkCreate, now: datetime) -> Network:
    fields = {
        "name": body.name,
        "description": body.description,
        "version": 1,
        "created_at": to_iso(now),
        "updated_at": to_iso(now),
    }
    item = networks_repo.network_item(
        owner, new_id("net"), {k: v for k, v in fields.items() if v is not None}
    )
    networks_repo.put_new(item)
    return _view(item, owner)


def get_network(caller: str, network_id: str) -> NetworkDetail:
    network = reached(caller, network_id)
    members = networks_repo.members(network_id)
    providers = [m["provider"] for m in members if m["SK"].startswith(MEMBER_PROVIDER)]
    if network["owner"] != caller:
        providers = [caller]  # a member does not see the others
    plans = [m["plan_id"] for m in members if m["SK"].startswith(MEMBER_PLAN)]
    detail = {**_view(network, caller).model_dump(), "provider_account_ids": providers, "plan_ids": plans}
    return NetworkDetail.model_validate(detail)


def list_networks(caller: str, query: NetworkQuery) -> NetworkPage:
    """The networks the caller owns and those it is a member of, by id."""
    page = networks_repo.caller_page(caller, query.limit, query.next)
    items = []
    for item in page.items:
        network = item if item["entity"] == "network" else networks_repo.get(item["owner"], item["id"])
        if network is not None:
            items.append(_view(network, caller))
    return NetworkPage(items=items, next=page.next)


def delete_network(owner: str, network_id: str, expected_version: int | None) -> None:
    def attempt() -> None:
        network = networks_repo.get(owner, network_id) if is_valid_id(network_id, "net") else None
        if network is None:
            raise not_found(WHAT)
        check_version(expected_version, int(network["version"]))
        if not networks_repo.delete_empty(network):
            if int(network.get("providers", 0)) or int(network.get("plans", 0)):
                reason = "the network has providers or plans; remove them first"
                raise conflict(reason, None, "network_not_empty")
            raise Moved(None)

    retried(attempt)


def _add_provider(owner: str, network_id: str, provider: str, field: str, now: datetime) -> int:
    if provider == owner:
        raise invalid(field, "the network's owner uses its plans as their owner", "own_account")

    def attempt() -> int:
        network = reached(owner, network_id)
        if networks_repo.get_member(network_id, MEMBER_PROVIDER, provider) is not None:
            return 200
        networks_repo.join_provider(network, provider, to_iso(now))
        return 201

    return retried(attempt, field)


def _add_plan(owner: str, network_id: str, plan_id: str, field: str, now: datetime) -> int:
    def attempt() -> int:
        network = reached(owner, network_id)
        plan = plans_repo.get(plan_id)
        if plan is None or plan["owner"] != owner:
            raise not_found("Plan", field)
        if network_id in (plan.get("network_ids") or []):
            return 200
        networks_repo.join_plan(network, plan, to_iso(now))
        return 201

    return retried(attempt, field)


def _remove_provider(owner: str, network_id: str, provider: str, field: str, now: datetime) -> int:
    def attempt() -> int:
        network = reached(owner, network_id)
        if networks_repo.get_member(network_id, MEMBER_PROVIDER, provider) is None:
            raise not_found("Provider", field)
        networks_repo.leave_provider(network, provider)
        return 200

    status = retried(attempt, field)
    # Its assignments of the network's plans it can no longer use otherwise go inactive at once.
    plan_ids = {m["plan_id"] for m in networks_repo.members(network_id) if m["SK"].startswith(MEMBER_PLAN)}
    plans = plans_repo.get_many(plan_ids) if plan_ids else []
    lost = {plan["id"] for plan in plans if not plan.get("public") and not in_network(provider, plan)}
    if lost:
        leave_plans(provider, lost, now)
    return status


def _remove_plan(owner: str, network_id: str, plan_id: str, field: str) -> int:
    def attempt() -> int:
        network = reached(owner, network_id)
        plan = plans_repo.get(plan_id) if is_valid_id(plan_id, "pln") else None
        if plan is None or plan["owner"] != owner or network_id not in (plan.get("network_ids") or []):
            raise not_found("Plan", field)
        networks_repo.leave_plan(network, plan)
        return 200

    return retried(attempt, field)


def change_members(owner: str, network_id: str, body: MemberChanges, now: datetime) -> MemberChangesResult:
    """Add and remove providers and plans, each on its own, one after the other (each moves the
    network's counts); the network must be the caller's."""
    network = networks_repo.get(owner, network_id) if is_valid_id(network_id, "net") else None
    if network is None:
        raise not_found(WHAT)
    steps: dict[tuple[str, str], Callable[[str, str], int]] = {
        ("add", "provider"): lambda member, field: _add_provider(owner, network_id, member, field, now),
        ("add", "plan"): lambda member, field: _add_plan(owner, network_id, member, field, now),
        ("remove", "provider"): lambda member, field: _remove_provider(owner, network_id, member, field, now),
        ("remove", "plan"): lambda member, field: _remove_plan(owner, network_id, member, field),
    }
    jobs = [
        (operation, kind, index, member)
        for operation, side in (("add", body.add), ("remove", body.remove))
        for kind, named in (("provider", side.providers), ("plan", side.plans))
        for index, member in enumerate(named)
    ]
    results = []
    for operation, kind, index, member in jobs:
        answer = {"operation": operation, "kind": kind, "index": index, "id": member}
        try:
            status = steps[(operation, kind)](member, f"body.{operation}.{kind}s.{index}")
            results.append(MemberResult(**answer, status=status))
        except Full:
            reason = f"the network has {MOST_MEMBERS} {kind}s, the most it can have"
            failed, error = refused(conflict(reason, f"body.{operation}.{kind}s.{index}", "network_full"))
            results.append(MemberResult(**answer, status=failed, error=error))
        except Fault as fault:
            failed, error = refused(fault)
            results.append(MemberResult(**answer, status=failed, error=error))
    succeeded = sum(1 for result in results if result.error is None)
    return MemberChangesResult(
        network_id=network_id, succeeded=succeeded, failed=len(results) - succeeded, results=results
    )
