"""Notifications end to end on the local stack: a status change is told once, by SMS and email,
to the task's recipients; the evaluator runs at chosen times, the queue is drained through the
real sender function, and what moto's SNS and SES accepted is what a recipient would get."""

import os
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local import notifications as local
from tests.conftest import Api

NOW = datetime.now(UTC).replace(microsecond=0)


def soon(minutes: float = 1) -> datetime:
    """A moment ahead of the clock (``NOW`` is when the module was imported, which can be long ago)."""
    return datetime.now(UTC) + timedelta(minutes=minutes)


def phone() -> str:
    return f"+49151{random.randint(10_000_000, 99_999_999)}"


def address() -> str:
    return f"{uuid.uuid4().hex[:12]}@example.com"


def sent_to(recipient: str) -> list[dict[str, Any]]:
    return [
        message for message in local.accepted(os.environ["AWS_ENDPOINT_URL"]) if message["to"] == recipient
    ]


def midnight(days: int) -> datetime:
    return datetime.combine((NOW + timedelta(days=days)).date(), datetime.min.time(), tzinfo=UTC)


def notifications(api: Api, task: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.get(f"/notifications?task_id={task['id']}&order=asc")
    assert response.status == 200, response.body
    return response.json()["items"]


def date_task(api: Api, sms: str, email: str, due_in_days: int = 10, before: int = 3) -> dict[str, Any]:
    asset = api.create_asset(name="Truck 7", type="vehicle", meters=["odometer"])
    due = (NOW + timedelta(days=due_in_days)).date().isoformat()
    body = {
        "name": "Annual inspection",
        "asset_id": asset["id"],
        "conditions": {"date": {"due": due, "notify_before_days": before}},
        "recipients": {"sms": [sms], "emails": [email]},
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


def meter_task(api: Api, sms: str, email: str, asset: dict[str, Any] | None = None) -> dict[str, Any]:
    if asset is None:
        asset = api.create_asset(name="Loader 3", type="machine", meters=["odometer"])
        assert api.post(f"/assets/{asset['id']}/readings", {"odometer_km": 10_000}).status == 201
    body = {
        "name": "Oil change",
        "asset_id": asset["id"],
        "conditions": {"distance": {"limit_km": 5_000, "notify_before_km": 500}},
        "recipients": {"sms": [sms], "emails": [email]},
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


def test_a_date_task_is_told_once_at_its_warning_and_once_at_its_due_instant(api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email)
    warn, due = midnight(7), midnight(10)
    local.evaluate(warn - timedelta(seconds=1))
    assert sent_to(sms) == [] and notifications(api, task) == []
    local.evaluate(warn)  # the warning instant itself counts
    local.evaluate(warn + timedelta(hours=1))  # and a later run tells nothing again
    [text] = [m["body"] for m in sent_to(sms)]
    assert text.startswith("UPCOMING: Annual inspection on Truck 7")
    [mail] = sent_to(email)
    assert mail["subject"] == "Upcoming: Annual inspection on Truck 7"
    local.evaluate(due)
    assert [m["body"].split(":")[0] for m in sent_to(sms)] == ["UPCOMING", "OVERDUE"]
    assert len(sent_to(email)) == 2
    told = notifications(api, task)
    assert [(n["status"], n["previous"], n["cause"]) for n in told] == [
        ("upcoming", "planned", "date"),
        ("overdue", "upcoming", "date"),
    ]
    assert all(n["handed_over"] for n in told)
    assert [sorted((d["channel"], d["state"]) for d in n["deliveries"]) for n in told] == [
        [("email", "sent"), ("sms", "sent")]
    ] * 2


def test_a_reading_across_the_warning_point_is_told_at_the_next_run(api: Api) -> None:
    sms, email = phone(), address()
    task = meter_task(api, sms, email)
    response = api.post(f"/assets/{task['asset_id']}/readings", {"odometer_km": 14_600})
    assert response.status == 201
    local.evaluate(soon())
    [text] = [m["body"] for m in sent_to(sms)]
    assert "due 15,000 km, now 14,600 km" in text
    [told] = notifications(api, task)
    assert (told["status"], told["cause"]) == ("upcoming", "reading")


def test_a_task_created_overdue_tells_only_overdue(api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email, due_in_days=-1)
    local.evaluate(soon())
    assert [m["body"].split(":")[0] for m in sent_to(sms)] == ["OVERDUE"]
    assert [n["status"] for n in notifications(api, task)] == ["overdue"]


def test_a_completion_before_the_run_tells_nothing(api: Api) -> None:
    sms, email = phone(), address()
    task = meter_task(api, sms, email)
    api.post(f"/assets/{task['asset_id']}/readings", {"odometer_km": 14_600})
    assert api.post(f"/tasks/{task['id']}/complete", {}).status == 200
    local.evaluate(soon())
    assert sent_to(sms) == [] and notifications(api, task) == []


def test_quiet_hours_hold_sms_until_they_end_but_not_email(api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email)
    assert (
        api.patch("/settings", {"notifications": {"quiet_hours": {"start": "22:00", "end": "07:00"}}}).status
        == 200
    )
    warn = midnight(7)  # 00:00 UTC: quiet
    local.evaluate(warn)
    assert sent_to(sms) == [] and len(sent_to(email)) == 1
    [told] = notifications(api, task)
    [held] = [d for d in told["deliveries"] if d["channel"] == "sms"]
    assert held["state"] == "held" and held["held_until"].startswith(f"{warn.date().isoformat()}T07:00:00")
    local.evaluate(warn + timedelta(hours=6, minutes=59))
    assert sent_to(sms) == []
    local.evaluate(warn + timedelta(hours=7))
    assert len(sent_to(sms)) == 1 and len(sent_to(email)) == 1


def test_an_opted_out_recipient_gets_nothing_and_can_opt_in_again(api: Api) -> None:
    sms, email = phone(), address()
    response = api.put("/notifications/opt-outs", {"sms": [sms]})
    assert response.status == 200, response.body
    assert [o["recipient"] for o in api.get("/notifications/opt-outs").json()["items"]] == [sms]
    task = date_task(api, sms, email)
    local.evaluate(midnight(7))
    assert sent_to(sms) == [] and len(sent_to(email)) == 1
    [told] = notifications(api, task)
    assert {d["channel"]: (d["state"], d["reason"]) for d in told["deliveries"]}["sms"] == (
        "suppressed",
        "opted_out",
    )
    assert api.delete(f"/notifications/opt-outs?recipient={sms.replace('+', '%2B')}").status == 204
    assert api.get("/notifications/opt-outs").json()["items"] == []


def test_fifty_tasks_crossing_at_once_are_each_told_once(api: Api) -> None:
    sms, email = phone(), address()
    asset = api.create_asset(name="Crane", type="machine", meters=["odometer"])
    assert api.post(f"/assets/{asset['id']}/readings", {"odometer_km": 10_000}).status == 201
    tasks = [meter_task(api, sms, email, asset) for _ in range(50)]
    assert api.post(f"/assets/{asset['id']}/readings", {"odometer_km": 16_000}).status == 201
    local.evaluate(soon())
    assert len(sent_to(sms)) == 50 and len(sent_to(email)) == 50
    assert all(m["body"].startswith("OVERDUE") for m in sent_to(sms))
    listed = api.get(f"/notifications?asset_id={asset['id']}&limit=20")
    assert listed.status == 200 and len(listed.json()["items"]) == 20 and listed.json()["next"]
    seen = {n["task_id"] for n in listed.json()["items"]}
    while cursor := listed.json().get("next"):
        listed = api.get(f"/notifications?asset_id={asset['id']}&limit=20&next={cursor}")
        seen |= {n["task_id"] for n in listed.json()["items"]}
    assert seen == {t["id"] for t in tasks}


def test_notifications_of_another_account_are_not_listed(api: Api, other_api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email, due_in_days=-1)
    local.evaluate(soon())
    assert len(notifications(api, task)) == 1
    response = other_api.get(f"/notifications?task_id={task['id']}")
    assert response.status == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "query.task_id"),
        ("?task_id=tsk_1&asset_id=ast_1", "query.task_id"),
        ("?task_id=nope", "query.task_id"),
        ("?asset_id=ast_01ARZ3NDEKTSV4RRFFQ69G5FAV&next=bm9wZQ", "query.next"),
    ],
)
def test_bad_notification_queries_are_422_naming_the_field(api: Api, query: str, field: str) -> None:
    response = api.get(f"/notifications{query}")
    assert response.status == 422, response.body
    assert field in {issue["field"] for issue in response.json()["error"]["details"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"notifications": {"quiet_hours": {"start": "22:00", "end": "22:00"}}},
            "body.notifications.quiet_hours.end",
        ),
        (
            {"notifications": {"quiet_hours": {"start": "24:00", "end": "06:00"}}},
            "body.notifications.quiet_hours.start",
        ),
        ({"notifications": {"quiet_hours": {"start": "22:00"}}}, "body.notifications.quiet_hours.end"),
    ],
)
def test_bad_quiet_hours_are_422_with_the_field_path(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.patch("/settings", body)
    assert response.status == 422, response.body
    assert field in {issue["field"] for issue in response.json()["error"]["details"]}


def test_quiet_hours_read_back_and_clear(api: Api) -> None:
    quiet = {"start": "21:30", "end": "06:15"}
    assert api.patch("/settings", {"notifications": {"quiet_hours": quiet}}).json()["notifications"] == {
        "quiet_hours": quiet
    }
    assert api.get("/settings").json()["notifications"]["quiet_hours"] == quiet
    cleared = api.patch("/settings", {"notifications": None}).json()
    assert cleared["notifications"] == {"quiet_hours": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.sms"),
        ({"sms": ["0151 123"]}, "body.sms.0"),
        ({"emails": ["not-an-address"]}, "body.emails.0"),
    ],
)
def test_bad_opt_outs_are_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.put("/notifications/opt-outs", body)
    assert response.status == 422, response.body
    assert field in {issue["field"] for issue in response.json()["error"]["details"]}


def test_a_postponed_date_is_told_again_when_it_comes_near_again(api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email)
    local.evaluate(midnight(7))
    later = (NOW + timedelta(days=30)).date().isoformat()
    patched = api.patch(f"/tasks/{task['id']}", {"conditions": {"date": {"due": later}}})
    assert patched.status == 200, patched.body
    local.evaluate(midnight(8))  # planned again: nothing to tell
    local.evaluate(midnight(27))
    told = notifications(api, task)
    assert [(n["status"], n["round"]) for n in told] == [("upcoming", 0), ("upcoming", 1)]
    assert len(sent_to(sms)) == 2


def test_a_reopened_occurrence_does_not_tell_again_what_it_told(api: Api) -> None:
    sms, email = phone(), address()
    task = date_task(api, sms, email, due_in_days=-1)
    local.evaluate(soon())
    assert api.post(f"/tasks/{task['id']}/complete", {}).status == 200
    assert api.post(f"/tasks/{task['id']}/reopen").status == 200
    local.evaluate(soon(2))
    assert len(sent_to(sms)) == 1 and len(notifications(api, task)) == 1
