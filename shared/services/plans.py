"""Service plans (P1-P4): create, read, list, change and delete; revisions; public plans.

An unused plan changes in place. A plan assigned since its current revision began gets a new
revision instead: the assignments keep the revision they have (and are ``outdated``) until the
new one is applied to them, so a change never moves anyone's due dates unasked (docs/plans.md).
"""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import assignments_repo, networks_repo, plans_repo
from shared.domain.plans import check_service
from shared.faults import FieldIssue, Invalid, conflict, not_found
from shared.ids import is_valid_id, new_id
from shared.models.plans import (
    Plan,
    PlanCreate,
    PlanListQuery,
    PlannedServiceIn,
    PlanPage,
    PlanRevision,
    PlanUpdate,
    PublicListing,
    PublicPlanQuery,
)
from shared.services.network_access import reached
from shared.services.plan_access import Access, visible_plan
from shared.services.versioned import check_version, retried

WHAT = "Plan"


def _services(
    given: list[PlannedServiceIn], current: list[dict[str, Any]], where: str
) -> list[dict[str, Any]]:
    """The planned services as stored: an entry naming a current planned service keeps its id."""
    known = {service["id"] for service in current}
    issues, out = [], []
    for index, service in enumerate(given):
        path = f"{where}.{index}"
        if service.id is not None and service.id not in known:
            issues.append(
                FieldIssue(f"{path}.id", "not a planned service of this plan; leave id out for a new one")
            )
        conditions = service.conditions.model_dump(mode="json", exclude_none=True)
        issues += [
            FieldIssue(f"{path}.conditions.{field}", reason) for field, reason in check_service(conditions)
        ]
        out.append(
            {
                "id": service.id or new_id("psv"),
                "name": service.name,
                "description": service.description,
                "conditions": conditions,
                "recurrent": service.recurrent,
                "anchor": service.anchor,
            }
        )
    if issues:
        code = "unknown_planned_service" if issues[0].field.endswith(".id") else "invalid_conditions"
        summary = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues[:3])
        raise Invalid(code, f"The planned services are not valid: {summary}", issues)
    return out


def _listing(public: PublicListing | None) -> dict[str, str] | None:
    return None if public is None else {"brand": public.brand, "model": public.model}


def view(item: dict[str, Any], access: Access) -> Plan:
    own = access == "own"
    return Plan.model_validate(
        {
            **item,
            "owner_account_id": item["owner"],
            "access": access,
            "in_use": own and bool(item.get("used")),
        }
    )


def create_plan(owner: str, body: PlanCreate, now: datetime) -> Plan:
    plan_id = new_id("pln")
    fields = {
        "name": body.name,
        "description": body.description,
        "planned_services": _services(body.planned_services, [], "body.planned_services"),
        "revision": 1,
        "used": False,
        "version": 1,
        "created_at": to_iso(now),
        "updated_at": to_iso(now),
        "revision_at": to_iso(now),
    }
    item = plans_repo.with_listing(plans_repo.new_item(owner, plan_id, fields), _listing(body.public))
    plans_repo.put(item, None)
    return view(item, "own")


def get_plan(caller: str, plan_id: str) -> Plan:
    item, access = visible_plan(caller, plan_id)
    return view(item, access)


def own_plan(caller: str, plan_id: str) -> dict[str, Any]:
    """A plan the caller owns, for a change (anyone else's plan, even one it sees, is a 404)."""
    item = plans_repo.get(plan_id) if is_valid_id(plan_id, "pln") else None
    if item is None or item["owner"] != caller:
        raise not_found(WHAT)
    return item


def update_plan(
    owner: str, plan_id: str, body: PlanUpdate, expected_version: int | None, now: datetime
) -> Plan:
    def attempt() -> Plan:
        item = own_plan(owner, plan_id)
        seen = int(item["version"])
        check_version(expected_version, seen)
        changed = {**item, "version": seen + 1, "updated_at": to_iso(now)}
        for name in body.model_fields_set & {"name", "description"}:
            changed[name] = getattr(body, name)
        if "planned_services" in body.model_fields_set:
            changed["planned_services"] = _services(
                body.planned_services, item["planned_services"], "body.planned_services"
            )
        if "public" in body.model_fields_set:
            changed = plans_repo.with_listing(changed, _listing(body.public))
        superseded = None
        if item.get("used") and changed["planned_services"] != item["planned_services"]:
            superseded = plans_repo.revision_item(item, to_iso(now))
            changed.update(revision=int(item["revision"]) + 1, used=False, revision_at=to_iso(now))
        plans_repo.put(changed, seen, superseded)
        return view(changed, "own")

    return retried(attempt)


def get_revision(caller: str, plan_id: str, revision: int) -> PlanRevision:
    item, _ = visible_plan(caller, plan_id)
    if revision == int(item["revision"]):
        return PlanRevision.model_validate(
            {
                **item,
                "plan_id": item["id"],
                "created_at": item.get("revision_at", item["created_at"]),
                "superseded_at": None,
            }
        )
    stored = plans_repo.get_revision(plan_id, revision) if 0 < revision < int(item["revision"]) else None
    if stored is None:
        raise not_found("Revision")
    return PlanRevision.model_validate(stored)


def delete_plan(owner: str, plan_id: str, expected_version: int | None) -> None:
    def attempt() -> None:
        item = own_plan(owner, plan_id)
        check_version(expected_version, int(item["version"]))
        if item.get("network_ids"):
            reason = "the plan is in a network; take it out of its networks first"
            raise conflict(reason, None, "plan_in_network")
        if assignments_repo.plan_in_use(plan_id):
            raise conflict(
                "the plan is assigned to assets; remove its assignments first", None, "plan_in_use"
            )
        plans_repo.delete(plan_id, int(item["version"]))

    retried(attempt)


def list_plans(caller: str, query: PlanListQuery) -> PlanPage:
    """The caller's own plans, oldest first; or a network's, which the caller owns or is a
    member of, by id."""
    if query.network_id is None:
        page = plans_repo.own_page(caller, query.limit, query.next)
        return PlanPage(items=[view(item, "own") for item in page.items], next=page.next)
    network = reached(caller, query.network_id)
    page = networks_repo.plans_page(network["id"], query.limit, query.next)
    plans = {plan["id"]: plan for plan in plans_repo.get_many({m["plan_id"] for m in page.items})}
    access: Access = "own" if network["owner"] == caller else "network"
    items = [view(plans[m["plan_id"]], access) for m in page.items if m["plan_id"] in plans]
    return PlanPage(items=items, next=page.next)


def list_public_plans(caller: str, query: PublicPlanQuery) -> PlanPage:
    """Plans published for a brand and model, by anyone (the caller's own among them)."""
    page = plans_repo.public_page(query.brand, query.model, query.limit, query.next)
    items = [view(item, "own" if item["owner"] == caller else "public") for item in page.items]
    return PlanPage(items=items, next=page.next)
