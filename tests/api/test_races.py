"""Writes that must happen once, raced: completion, reopen, batch create, the idempotent claim
(#10, items 6-8). The local server runs every request in its own thread against one table, so
these are real races between read, decide and commit."""

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from shared.data import idempotency
from tests.conftest import Api

RACERS = 10


def together(calls: int, call):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(lambda _n: call(), range(calls)))


def repeating_task(api: Api) -> dict:
    truck = api.create_asset(name="Truck", type="vehicle")
    api.post(f"/assets/{truck['id']}/readings", {"odometer_km": 10_000})
    body = {
        "asset_id": truck["id"],
        "name": "Oil",
        "repeat": True,
        "conditions": {"distance": {"limit_km": 15_000}},
    }
    response = api.post("/tasks", body)
    assert response.status == 201
    return response.json()


def first_reads_wait_for_each_other(monkeypatch, module, name: str, parties: int) -> None:  # type: ignore[no-untyped-def]
    """Every racer reads before any of them writes: each thread's first call of ``module.name``
    waits at a barrier, so the race is the same every run."""
    barrier, seen = threading.Barrier(parties, timeout=30), threading.local()
    original = getattr(module, name)

    def read_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = original(*args, **kwargs)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, read_then_wait)


def test_item6_completions_that_all_read_occurrence_1_complete_it_once(api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shared.services import task_completion  # noqa: PLC0415

    task = repeating_task(api)
    first_reads_wait_for_each_other(monkeypatch, task_completion, "load_task", RACERS)
    responses = together(RACERS, lambda: api.post(f"/tasks/{task['id']}/complete", {}))
    statuses = sorted(response.status for response in responses)
    assert statuses == [200] + [409] * (RACERS - 1)
    for refused in (r for r in responses if r.status == 409):
        error = refused.json()["error"]
        assert error["code"] == "occurrence_completed"
        assert error["details"][0]["field"] == "body.occurrence"
        assert error["message"].startswith("occurrence 1 was completed already")
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == 2
    assert len(api.get(f"/assets/{task['asset_id']}/history").json()["items"]) == 1


def test_item6_concurrent_completions_naming_one_occurrence_complete_it_once(api: Api) -> None:
    task = repeating_task(api)
    responses = together(RACERS, lambda: api.post(f"/tasks/{task['id']}/complete", {"occurrence": 1}))
    assert sorted(response.status for response in responses) == [200] + [409] * (RACERS - 1)
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == 2
    assert len(api.get(f"/assets/{task['asset_id']}/history").json()["items"]) == 1


def test_item6_a_completion_names_the_occurrence_it_means(api: Api) -> None:
    task = repeating_task(api)
    assert api.post(f"/tasks/{task['id']}/complete", {"occurrence": 1}).status == 200
    again = api.post(f"/tasks/{task['id']}/complete", {"occurrence": 1})
    assert (again.status, again.json()["error"]["code"]) == (409, "occurrence_completed")
    ahead = api.post(f"/tasks/{task['id']}/complete", {"occurrence": 5})
    assert ahead.json()["error"]["message"] == "the task is at occurrence 2, not 5"
    assert api.post(f"/tasks/{task['id']}/complete", {"occurrence": 2.0}).status == 200


def test_concurrent_reopens_undo_one_completion(api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shared.services import task_completion  # noqa: PLC0415

    task = repeating_task(api)
    for _ in range(2):
        assert api.post(f"/tasks/{task['id']}/complete", {}).status == 200
    first_reads_wait_for_each_other(monkeypatch, task_completion, "load_task", RACERS)
    responses = together(RACERS, lambda: api.post(f"/tasks/{task['id']}/reopen", {}))
    assert sorted(r.status for r in responses) == [200] + [409] * (RACERS - 1)
    assert {r.json()["error"]["code"] for r in responses if r.status == 409} <= {"nothing_to_reopen"}
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == 2
    assert len(api.get(f"/assets/{task['asset_id']}/history").json()["items"]) == 1


def test_concurrent_batch_creates_never_pass_the_open_task_limit(api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shared.services import task_rules  # noqa: PLC0415

    monkeypatch.setattr(task_rules, "MAX_OPEN_TASKS", 3)
    truck = api.create_asset(name="Truck", type="vehicle")
    body = {"asset_ids": [truck["id"]], "task": {"name": "Check", "conditions": {"date": {"every_days": 30}}}}
    results = together(6, lambda: api.post("/tasks/batch", body).json()["results"][0]["status"])
    assert sorted(results) == [201] * 3 + [422] * 3
    assert len(api.get(f"/tasks?asset_id={truck['id']}").json()["items"]) == 3


def test_item7_a_large_batch_answer_is_replayed_whole(api: Api) -> None:
    assets = [api.create_asset(name=f"Truck {n}", type="vehicle")["id"] for n in range(80)]
    task = {
        "name": "Inspection " + "n" * 240,
        "description": "d" * 2000,
        "comment": "c" * 2000,
        "conditions": {"date": {"every_days": 365}},
    }
    key = {"Idempotency-Key": "big-batch"}
    first = api.post("/tasks/batch", {"asset_ids": assets, "task": task}, headers=key)
    assert first.status == 200 and first.json()["succeeded"] == 80
    assert len(first.body) > 400_000  # more than one DynamoDB item holds uncompressed
    again = api.post("/tasks/batch", {"asset_ids": assets, "task": task}, headers=key)
    assert again.status == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(api.get("/tasks?limit=200").json()["items"]) == 80


def test_item7_an_answer_too_large_for_one_item_is_kept_in_parts(api: Api) -> None:
    """Incompressible content: the stored answer spans several items and still reads back."""
    answer = {"blob": os.urandom(900_000).hex()}
    claim = idempotency.claim(api.account, "POST /test", "parts", "fingerprint")
    idempotency.complete(api.account, claim, 200, answer, {"Location": "/x"})
    replay = idempotency.claim(api.account, "POST /test", "parts", "fingerprint").replay
    assert replay is not None
    assert (replay.status, replay.body == answer, replay.headers) == (200, True, {"Location": "/x"})
    assert len(json.dumps(answer)) > 3 * idempotency.PART_BYTES


def test_item8_a_viewer_replaying_an_admins_key_is_403(api: Api) -> None:
    key = {"Idempotency-Key": "admin-create"}
    created = api.post("/assets", {"name": "Admin's"}, headers=key)
    assert created.status == 201
    viewer = api.as_(role="viewer").post("/assets", {"name": "Admin's"}, headers=key)
    assert viewer.status == 403
    assert "Idempotent-Replayed" not in viewer.headers


def test_item8_a_replay_has_the_headers_of_the_first_answer(api: Api) -> None:
    key = {"Idempotency-Key": "with-headers"}
    first = api.post("/assets", {"name": "Located"}, headers=key)
    again = api.post("/assets", {"name": "Located"}, headers=key)
    asset = first.json()
    assert first.headers["ETag"] == again.headers["ETag"] == '"1"'
    assert first.headers["Location"] == again.headers["Location"] == f"/assets/{asset['id']}"
    task = repeating_task(api)
    created_key = {"Idempotency-Key": "task-1"}
    body = {"asset_id": task["asset_id"], "name": "Second", "conditions": {"date": {"every_days": 9}}}
    made, replayed = (api.post("/tasks", body, headers=created_key) for _ in range(2))
    assert made.headers["Location"] == replayed.headers["Location"]
    assert made.headers["ETag"] == replayed.headers["ETag"]


def test_removing_a_meter_while_a_task_on_it_is_created_is_refused(api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """#11 item 5: the meter check passes (no task yet), a distance task lands, then the asset write
    comes: it is refused because the asset's tasks moved, checks again and says why (409)."""
    from shared.services import assets  # noqa: PLC0415

    truck = api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])
    api.post(f"/assets/{truck['id']}/readings", {"odometer_km": 1_000, "hours": 10})
    original, created = assets.check_meters_in_use, []

    def check_then_someone_adds_a_task(tasks, meters):  # type: ignore[no-untyped-def]
        original(tasks, meters)
        if not created:
            body = {"asset_id": truck["id"], "name": "Oil", "conditions": {"distance": {"limit_km": 5000}}}
            created.append(api.post("/tasks", body))

    monkeypatch.setattr(assets, "check_meters_in_use", check_then_someone_adds_a_task)
    response = api.patch(f"/assets/{truck['id']}", {"meters": ["hours"]})
    assert created[0].status == 201
    assert (response.status, response.json()["error"]["code"]) == (409, "meter_in_use")
    assert api.get(f"/assets/{truck['id']}").json()["meters"] == ["odometer", "hours"]


def test_a_task_prepared_against_a_meter_removed_meanwhile_is_refused(api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """#11 item 5, the other way round: the task write checked the asset's meters, the odometer is
    taken away, then the task write comes: refused (the meters moved), checked again: 422."""
    from shared.services import task_writes  # noqa: PLC0415

    truck = api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])
    api.post(f"/assets/{truck['id']}/readings", {"odometer_km": 1_000, "hours": 10})
    original, changed = task_writes.check_conditions_fit, []

    def check_then_someone_removes_the_odometer(conditions, asset, where):  # type: ignore[no-untyped-def]
        original(conditions, asset, where)
        if not changed:
            changed.append(api.patch(f"/assets/{truck['id']}", {"meters": ["hours"]}))

    monkeypatch.setattr(task_writes, "check_conditions_fit", check_then_someone_removes_the_odometer)
    body = {"asset_id": truck["id"], "name": "Oil", "conditions": {"distance": {"limit_km": 5000}}}
    response = api.post("/tasks", body)
    assert changed[0].status == 200
    assert (response.status, response.json()["error"]["code"]) == (422, "asset_has_no_odometer")
    assert api.get(f"/tasks?asset_id={truck['id']}").json()["items"] == []
