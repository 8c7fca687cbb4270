"""A grant taken back: hidden at once; given again within 4 hours, nothing is lost; from then on
the provider leaves its assignments, whose tasks wait inactive as they were (docs/plans.md,
"Revocation")."""

from datetime import timedelta
from typing import Any

import pytest

from shared.clock import from_iso, to_iso
from shared.data import messaging
from shared.services import evaluation
from tests.api.test_plan_assignments import assign, excavator
from tests.api.test_plans import make_plan, refusal
from tests.api.test_provided_work import fresh, provider_view
from tests.api.test_providers import grant
from tests.conftest import Api, stored_items

TOO_SOON = timedelta(hours=4) - timedelta(microseconds=1)


def provided_for(api: Api) -> tuple[Api, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A provider that provides for its plan on the owner's asset: (provider, asset, plan, task)."""
    provider = fresh(api)
    plan = make_plan(provider)
    asset = excavator(api, hours=100)
    grant(api, provider, add=[asset["id"]])
    assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    (task,) = provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"]
    return provider, asset, plan, task


def revoked_at(api: Api, asset: dict[str, Any]) -> Any:
    (listed,) = api.get(f"/providers?asset_id={asset['id']}").json()["items"]
    return from_iso(listed["revoked_at"])


def assignment_of(api: Api, asset: dict[str, Any]) -> dict[str, Any]:
    (assignment,) = api.get(f"/plan-assignments?asset_id={asset['id']}").json()["items"]
    return assignment


def at(monkeypatch: pytest.MonkeyPatch, moment: Any) -> None:
    monkeypatch.setattr("functions.providers.change_provider_assets.utc_now", lambda: moment)


def test_given_again_before_the_window_ends_nothing_is_lost(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider, asset, _, task = provided_for(api)
    grant(api, provider, remove=[asset["id"]])
    assert provider.get(f"/provided-assets/{asset['id']}/tasks").status == 404
    t = revoked_at(api, asset)
    evaluation.run(t + TOO_SOON)  # (other tests' grants may end here: only this one is looked at)
    assert assignment_of(api, asset)["state"] == "active"
    at(monkeypatch, t + TOO_SOON)
    assert grant(api, provider, add=[asset["id"]])["results"][0]["status"] == 200
    assert assignment_of(api, asset)["state"] == "active"
    assert provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"] == [task]
    evaluation.run(t + timedelta(hours=5))  # given again: out of the sweep
    assert assignment_of(api, asset)["state"] == "active"
    assert len(api.get("/providers").json()["items"]) == 1


def test_the_sweep_at_the_windows_end_makes_the_providers_assignments_inactive_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[dict[str, Any]] = []
    real = messaging.publish_events

    def publish(details: list[dict[str, Any]], detail_type: str) -> None:
        published.extend({**detail, "type": detail_type} for detail in details)
        real(details, detail_type)

    monkeypatch.setattr(messaging, "publish_events", publish)
    provider, asset, plan, task = provided_for(api)
    grant(api, provider, remove=[asset["id"]])
    t = revoked_at(api, asset)
    evaluation.run(t + TOO_SOON)  # (other tests' grants may end here: only this one is looked at)
    assert assignment_of(api, asset)["state"] == "active"
    for moment in (t + timedelta(hours=4), t + timedelta(hours=4), t + timedelta(hours=5)):
        evaluation.run(moment)  # removed once, and the owner told once
    published = [e for e in published if e.get("asset_id") == asset["id"]]
    assignment = assignment_of(api, asset)
    assert (assignment["state"], assignment["provider_account_id"]) == ("inactive", None)
    kept = api.get(f"/tasks/{task['id']}").json()
    assert (kept["status"], kept["occurrence"], kept["due"]) == ("inactive", 1, task["due"])
    assert kept["plan"]["provider_account_id"] is None
    assert api.get("/providers").json()["items"] == []
    assert api.get(f"/assets/{asset['id']}").json()["service"]["open_tasks"] == 0
    assert [e for e in published if e["type"] == "Provider removed"] == [
        {
            "account_id": api.account,
            "asset_id": asset["id"],
            "provider_account_id": provider.account,
            "plan_ids": [plan["id"]],
            "revoked_at": to_iso(t),
            "removed_at": to_iso(t + timedelta(hours=4)),
            "type": "Provider removed",
        }
    ]
    # Waiting: no status, no writes but a delete; the plan cannot take a revision.
    changed = api.patch(f"/tasks/{task['id']}", {"name": "Other"})
    assert refusal(changed) == (409, "task_inactive", [])
    registered = api.post(
        "/registrations",
        {"asset_id": asset["id"], "services": [{"planned_service_id": plan["planned_services"][0]["id"]}]},
    )
    assert refusal(registered) == (409, "task_inactive", ["body.services.0.planned_service_id"])
    # The owner provides for it itself: the task goes on as it was.
    back = assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})["results"][0]
    assert (back["status"], back["assignment"]["state"], back["assignment"]["task_ids"]) == (
        200,
        "active",
        [task["id"]],
    )
    revived = api.get(f"/tasks/{task['id']}").json()
    assert (revived["status"], revived["occurrence"], revived["due"]) == (task["status"], 1, task["due"])
    assert revived["plan"]["provider_account_id"] == api.account


def test_giving_it_again_after_the_window_is_a_new_grant_after_the_provider_left(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider, asset, _, task = provided_for(api)
    grant(api, provider, remove=[asset["id"]])
    t = revoked_at(api, asset)
    at(monkeypatch, t + timedelta(hours=4))
    again = grant(api, provider, add=[asset["id"]])["results"][0]
    assert again["status"] == 201
    assert assignment_of(api, asset)["state"] == "inactive"
    assert provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"] == []
    (entry,) = provider_view(provider)
    assert entry["service"]["open_tasks"] == 0
    (listed,) = api.get("/providers").json()["items"]
    assert listed["revoked_at"] is None and from_iso(listed["granted_at"]) == t + timedelta(hours=4)
    (counter,) = [
        item for (_, sk), item in stored_items(api.account).items() if sk == f"GRANTS#{asset['id']}"
    ]
    assert counter["Attributes"]["grants"] == {"N": "1"}
    assert api.get(f"/tasks/{task['id']}").json()["status"] == "inactive"
