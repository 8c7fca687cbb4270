"""Overlays: a provider's own warning thresholds over a plan it provides for; the most specific
wins per lead; deleting one restores what holds without it (docs/plans.md, "Overlays")."""

from datetime import timedelta
from typing import Any

import pytest

from shared.clock import utc_now
from shared.services import evaluation, overlays
from tests.api.test_plan_assignments import assign, excavator
from tests.api.test_plans import make_plan, refusal
from tests.api.test_provided_work import fresh, provider_view
from tests.api.test_providers import grant
from tests.conftest import Api


def provided(api: Api, assets: int = 1) -> tuple[Api, dict[str, Any], list[dict[str, Any]]]:
    """A provider providing for its 500 h plan (due at 250 h, warned from 200 h) on ``assets``
    machines of the owner's at 100 h."""
    provider = fresh(api)
    plan = make_plan(provider)
    machines = [excavator(api, hours=100) for _ in range(assets)]
    grant(api, provider, add=[m["id"] for m in machines])
    entries = [{"asset_id": m["id"], "plan_id": plan["id"], "provide_for": True} for m in machines]
    assign(provider, *entries)
    return provider, plan, machines


def task_of(provider: Api, asset: dict[str, Any]) -> dict[str, Any]:
    (task,) = provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"]
    return task


def put(provider: Api, **body: Any) -> Any:
    return provider.put("/overlays", body)


def test_an_overlay_moves_the_warning_and_the_most_specific_wins(api: Api) -> None:
    provider, plan, (asset,) = provided(api)
    assert task_of(provider, asset)["status"] == "planned"
    wide = put(provider, plan_id=plan["id"], notify_before_h=200)
    assert wide.status == 201, wide.body
    assert (wide.json()["applied"], wide.json()["assets"]) == ("done", 1)
    task = task_of(provider, asset)
    assert (task["status"], task["conditions"]["hours"]["notify_before_h"]) == ("upcoming", 200)
    assert api.get(f"/tasks/{task['id']}").json()["status"] == "upcoming"  # the owner's task itself
    assert [e["asset_id"] for e in provider_view(provider, "?service_status=upcoming")] == [asset["id"]]
    service_id = plan["planned_services"][0]["id"]
    narrow = put(
        provider, plan_id=plan["id"], asset_id=asset["id"], planned_service_id=service_id, notify_before_h=10
    )
    assert narrow.status == 201
    assert task_of(provider, asset)["conditions"]["hours"]["notify_before_h"] == 10
    assert task_of(provider, asset)["status"] == "planned"
    again = put(
        provider, plan_id=plan["id"], asset_id=asset["id"], planned_service_id=service_id, notify_before_h=20
    )
    assert (again.status, again.json()["id"], again.json()["version"]) == (200, narrow.json()["id"], 2)
    listed = provider.get(f"/overlays?plan_id={plan['id']}").json()["items"]
    assert sorted(o["notify_before_h"] for o in listed) == [20, 200]
    assert provider.delete(f"/overlays/{narrow.json()['id']}").status == 204
    assert task_of(provider, asset)["conditions"]["hours"]["notify_before_h"] == 200
    assert provider.delete(f"/overlays/{wide.json()['id']}").status == 204
    back = task_of(provider, asset)
    assert (back["conditions"]["hours"]["notify_before_h"], back["status"]) == (50, "planned")
    assert provider.get("/overlays").json()["items"] == []
    assert provider.delete(f"/overlays/{wide.json()['id']}").status == 404


def test_a_new_assignment_takes_the_overlays_at_once(api: Api) -> None:
    provider, plan, _ = provided(api)
    put(provider, plan_id=plan["id"], notify_before_h=200)
    later = excavator(api, hours=100)
    grant(api, provider, add=[later["id"]])
    assign(provider, {"asset_id": later["id"], "plan_id": plan["id"], "provide_for": True})
    task = task_of(provider, later)
    assert (task["conditions"]["hours"]["notify_before_h"], task["status"]) == (200, "upcoming")


def test_what_an_overlay_may_cover_is_checked_by_field(api: Api) -> None:
    provider, plan, (asset,) = provided(api)
    stranger_plan = make_plan(fresh(api))
    other = excavator(api, hours=100)  # not granted to the provider
    assert refusal(put(provider, plan_id=stranger_plan["id"], notify_before_h=10)) == (
        404,
        "not_found",
        ["body.plan_id"],
    )
    assert refusal(put(provider, plan_id=plan["id"], asset_id=other["id"], notify_before_h=10)) == (
        404,
        "not_found",
        ["body.asset_id"],
    )
    assert refusal(put(provider, plan_id=plan["id"], notify_before_h=500))[:2] == (422, "lead_too_long")
    assert refusal(put(provider, plan_id=plan["id"]))[0] == 422
    # An account that neither sees the plan nor provides for it puts nothing over it.
    assert put(fresh(api), plan_id=plan["id"], notify_before_h=100).status == 404
    assert task_of(provider, asset)["conditions"]["hours"]["notify_before_h"] == 50


def test_more_assets_than_a_round_are_brought_by_the_evaluator(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overlays, "ASSETS_A_ROUND", 2)
    provider, plan, machines = provided(api, assets=5)
    response = put(provider, plan_id=plan["id"], notify_before_h=200)
    assert (response.json()["applied"], response.json()["assets"]) == ("in_progress", 2)
    leads = [task_of(provider, m)["conditions"]["hours"]["notify_before_h"] for m in machines]
    assert sorted(leads) == [50, 50, 50, 200, 200]
    for _ in range(3):
        evaluation.run(utc_now() + timedelta(minutes=1))
    assert [task_of(provider, m)["conditions"]["hours"]["notify_before_h"] for m in machines] == [200] * 5
    (overlay,) = provider.get("/overlays").json()["items"]
    assert overlay["applied"] == "done"
