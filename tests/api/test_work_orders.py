"""Work orders through the API: numbers, the status workflow, closing over tasks, reopening."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Api

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def truck(api: Api) -> dict[str, Any]:
    asset = api.create_asset(name="Truck", type="vehicle", meters=["odometer"])
    assert api.post(f"/assets/{asset['id']}/readings", {"time": ago(2), "odometer_km": 45_000}).status == 201
    return asset


def new_task(api: Api, asset: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Oil change",
        "conditions": {"distance": {"limit_km": 15_000, "notify_before_km": 1_000}},
        "asset_id": asset["id"],
        **fields,
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


def new_order(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.post("/work-orders", {"title": "Service", **fields})
    assert response.status == 201, response.body
    return response.json()


def error_fields(response: Any) -> list[str]:
    return [detail["field"] for detail in response.json()["error"]["details"]]


def test_an_order_gets_the_next_number_and_reads_back(api: Api, truck: dict[str, Any]) -> None:
    first = new_order(
        api, asset_ids=[truck["id"]], priority="high", customer={"name": "ACME", "number": "C-7"}
    )
    second = new_order(api)
    assert (first["number"], second["number"]) == (second["number"] - 1, second["number"])
    assert first["display_number"] == f"WO-{first['number']:06d}"
    assert first["status"] == "new" and first["state"] == "open" and first["type"] == "install"
    read = api.get(f"/work-orders/{first['id']}")
    assert read.status == 200
    assert read.json() == first


def test_fifty_parallel_creates_take_fifty_consecutive_numbers(api: Api) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(lambda i: new_order(api, title=f"Order {i}")["number"], range(50)))
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + 50))


def test_a_replayed_create_keeps_its_number(api: Api) -> None:
    headers = {"Idempotency-Key": "create-order-1"}
    first = api.post("/work-orders", {"title": "Once"}, headers=headers)
    again = api.post("/work-orders", {"title": "Once"}, headers=headers)
    assert first.status == again.status == 201
    assert again.json()["number"] == first.json()["number"]
    listed = api.get("/work-orders").json()["items"]
    assert [order["title"] for order in listed] == ["Once"]


def test_a_task_is_in_one_open_order_at_most(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck)
    order = new_order(api, task_ids=[task["id"]])
    assert order["asset_ids"] == [truck["id"]]
    assert [t["id"] for t in order["tasks"]] == [task["id"]]
    again = api.post("/work-orders", {"title": "Twice", "task_ids": [task["id"]]})
    assert again.status == 409
    assert again.json()["error"]["code"] == "task_covered"
    assert error_fields(again) == ["body.task_ids.0"]
    # Once the first order lets go of it, another may take it.
    assert api.patch(f"/work-orders/{order['id']}", {"task_ids": []}).status == 200
    assert api.post("/work-orders", {"title": "Now", "task_ids": [task["id"]]}).status == 201


def test_unknown_references_are_404_naming_the_field(api: Api, other_api: Api, truck: dict[str, Any]) -> None:
    foreign = other_api.create_asset(name="Not mine")
    response = api.post("/work-orders", {"title": "X", "asset_ids": [truck["id"], foreign["id"]]})
    assert response.status == 404
    assert error_fields(response) == ["body.asset_ids.1"]
    response = api.post("/work-orders", {"title": "X", "task_ids": ["tsk_nope"]})
    assert response.status == 404
    assert error_fields(response) == ["body.task_ids.0"]
    order = new_order(api)
    assert other_api.get(f"/work-orders/{order['id']}").status == 404
    assert other_api.post(f"/work-orders/{order['id']}/status", {"status": "scheduled"}).status == 404


def test_status_moves_follow_the_workflow_and_are_logged(api: Api) -> None:
    order = new_order(api)
    moved = api.post(f"/work-orders/{order['id']}/status", {"status": "in_progress", "comment": "On site"})
    assert moved.status == 200, moved.body
    assert moved.json()["status"] == "in_progress"
    assert moved.json()["actual_start"] is not None  # in_progress starts work
    back_two = api.post(f"/work-orders/{order['id']}/status", {"status": "new"})
    assert back_two.status == 409
    assert back_two.json()["error"]["code"] == "invalid_transition"
    stale = api.post(f"/work-orders/{order['id']}/status", {"status": "on_hold", "from": "new"})
    assert stale.status == 409
    assert stale.json()["error"]["code"] == "status_changed"
    closing = api.post(f"/work-orders/{order['id']}/status", {"status": "closed_complete"})
    assert closing.status == 409
    events = api.get(f"/work-orders/{order['id']}/events").json()["items"]
    assert [(e["type"], e.get("from"), e.get("to")) for e in events] == [
        ("created", None, "new"),
        ("status", "new", "in_progress"),
    ]
    assert events[1]["comment"] == "On site"
    assert [e["seq"] for e in api.get(f"/work-orders/{order['id']}/events?order=desc").json()["items"]] == [
        2,
        1,
    ]


def test_closing_complete_completes_each_task_once(api: Api, truck: dict[str, Any]) -> None:
    once = new_task(api, truck, name="Brakes")
    repeating = new_task(api, truck, repeat=True)
    other = api.create_asset(name="Van", meters=["odometer"])
    api.post(f"/assets/{other['id']}/readings", {"time": ago(1), "odometer_km": 1_000})
    third = new_task(api, other, name="Tyres")
    order = new_order(api, task_ids=[once["id"], repeating["id"], third["id"]])
    closed = api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete", "comment": "All done"})
    assert closed.status == 200, closed.body
    body = closed.json()
    assert body["state"] == "closed" and body["status"] == "closed_complete"
    assert {t["id"]: t["result"] for t in body["tasks"]} == dict.fromkeys(
        [once["id"], repeating["id"], third["id"]], "completed"
    )
    assert api.get(f"/tasks/{once['id']}").json()["status"] == "done"
    after = api.get(f"/tasks/{repeating['id']}").json()
    assert after["occurrence"] == repeating["occurrence"] + 1
    again = api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"})
    assert again.status == 409
    assert again.json()["error"]["code"] == "order_closed"
    assert api.get(f"/tasks/{repeating['id']}").json()["occurrence"] == repeating["occurrence"] + 1


def test_a_task_done_elsewhere_is_skipped(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck, repeat=True)
    order = new_order(api, task_ids=[task["id"]])
    assert api.post(f"/tasks/{task['id']}/complete", {}).status == 200
    closed = api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"}).json()
    assert [t["result"] for t in closed["tasks"]] == ["skipped"]
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == task["occurrence"] + 1


def test_two_concurrent_closes_one_wins(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck, repeat=True)
    order = new_order(api, task_ids=[task["id"]])
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(
            pool.map(
                lambda _: api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"}).status,
                range(2),
            )
        )
    assert statuses == [200, 409]
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == task["occurrence"] + 1


def test_incomplete_needs_a_reason_and_frees_the_tasks(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck)
    order = new_order(api, task_ids=[task["id"]])
    refused = api.post(f"/work-orders/{order['id']}/close", {"outcome": "incomplete"})
    assert refused.status == 422
    assert error_fields(refused) == ["body.reason_code"]
    closed = api.post(
        f"/work-orders/{order['id']}/close", {"outcome": "incomplete", "reason_code": "no_access"}
    )
    assert closed.status == 200, closed.body
    assert closed.json()["status"] == "closed_incomplete"
    assert api.get(f"/tasks/{task['id']}").json()["status"] != "done"
    assert api.post("/work-orders", {"title": "Next try", "task_ids": [task["id"]]}).status == 201


def test_reopen_undoes_the_completions(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck, repeat=True)
    order = new_order(api, task_ids=[task["id"]])
    api.post(f"/work-orders/{order['id']}/status", {"status": "scheduled"})
    api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"})
    reopened = api.post(f"/work-orders/{order['id']}/reopen", {"comment": "Wrong truck"})
    assert reopened.status == 200, reopened.body
    assert reopened.json()["state"] == "open" and reopened.json()["status"] == "scheduled"
    assert [t["result"] for t in reopened.json()["tasks"]] == ["open"]
    restored = api.get(f"/tasks/{task['id']}").json()
    assert restored["occurrence"] == task["occurrence"]
    assert restored["completed_at"] is None
    history = api.get(f"/assets/{truck['id']}/history").json()["items"]
    assert history == []
    assert api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"}).status == 200


def test_lists_filter_by_state_status_asset_and_text(api: Api, truck: dict[str, Any]) -> None:
    first = new_order(api, title="Brake check", asset_ids=[truck["id"]], planned_start=ago(-3))
    second = new_order(api, title="Oil", customer={"name": "Acme Logistics", "number": "C-9"})
    api.post(f"/work-orders/{second['id']}/close", {"outcome": "incomplete", "reason_code": "other"})

    def ids(query: str) -> list[str]:
        response = api.get(f"/work-orders{query}")
        assert response.status == 200, response.body
        return [order["id"] for order in response.json()["items"]]

    assert ids("") == [first["id"], second["id"]]
    assert ids("?sort=-number") == [second["id"], first["id"]]
    assert ids("?state=open") == [first["id"]]
    assert ids("?status=closed_incomplete") == [second["id"]]
    assert ids(f"?asset_id={truck['id']}") == [first["id"]]
    assert ids("?customer_number=c-9") == [second["id"]]
    assert ids("?q=BRAKE") == [first["id"]]
    assert ids("?customer=logistics") == [second["id"]]
    assert ids(f"?number={second['display_number']}") == [second["id"]]
    assert ids("?sort=planned") == [first["id"]]
    assert ids("?sort=closed") == [second["id"]]
    refused = api.get("/work-orders?q=x&number=1")
    assert refused.status == 422
    assert error_fields(refused) == ["query.q"]


def test_the_asset_history_shows_the_order_with_its_tasks(api: Api, truck: dict[str, Any]) -> None:
    alone = new_task(api, truck, name="Wipers")
    assert api.post(f"/tasks/{alone['id']}/complete", {}).status == 200
    task = new_task(api, truck, repeat=True)
    order = new_order(
        api,
        title="Annual service",
        task_ids=[task["id"]],
        assignees=[{"id": "tech-1"}, {"id": "tech-2", "primary": True}],
        service_codes=["S-10"],
        customer={"number": "C-1", "name": "Fleet Co"},
    )
    api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete", "comment": "Fine"})
    history = api.get(f"/assets/{truck['id']}/history")
    assert history.status == 200, history.body
    entries = history.json()["items"]
    assert [e["kind"] for e in entries] == ["work_order", "task"]
    assert entries[0]["title"] == "Annual service" and entries[0]["outcome"] == "complete"
    assert entries[0]["display_number"] == order["display_number"]
    assert [(t["id"], t["result"]) for t in entries[0]["tasks"]] == [(task["id"], "completed")]
    assert (entries[0]["primary_assignee"], entries[0]["assignees"]) == ("tech-2", ["tech-1", "tech-2"])
    assert (entries[0]["status"], entries[0]["service_codes"]) == ("closed_complete", ["S-10"])
    assert entries[0]["customer"] == {"number": "C-1", "name": "Fleet Co"}
    assert entries[1]["task_id"] == alone["id"]


def test_lines_add_up_to_the_totals(api: Api) -> None:
    api.patch("/settings", {"currency": "EUR"})
    order = new_order(api)
    path = f"/work-orders/{order['id']}/items"
    part = api.post(
        path, {"kind": "part", "code": "F-1", "quantity": 3, "unit_price": 3.335, "tax_percent": 19}
    )
    assert part.status == 201, part.body
    assert (part.json()["net"], part.json()["tax"], part.json()["gross"]) == (10.01, 1.9, 11.91)
    returned = api.post(path, {"kind": "part_returned", "quantity": 1, "unit_price": 3.34})
    assert returned.json()["net"] == -3.34
    rate = api.post("/hourly-rates", {"name": "Workshop", "price_per_hour": 80})
    assert rate.status == 201, rate.body
    labour = api.post(path, {"kind": "labour", "quantity": 1.5, "rate_id": rate.json()["id"]})
    assert labour.status == 201, labour.body
    assert (labour.json()["unit_price"], labour.json()["rate_name"], labour.json()["net"]) == (
        80,
        "Workshop",
        120,
    )
    totals = api.get(f"/work-orders/{order['id']}").json()["totals"]
    assert (totals["currency"], totals["net"], totals["tax"], totals["gross"]) == ("EUR", 126.67, 1.9, 128.57)
    assert totals["by_kind"]["part_returned"]["net"] == -3.34
    changed = api.patch(f"{path}/{part.json()['id']}", {"quantity": 1})
    assert changed.status == 200, changed.body
    assert api.get(f"{path}/{part.json()['id']}").json() == changed.json()
    assert api.get(f"{path}/li_01ARZ3NDEKTSV4RRFFQ69G5FAV").status == 404
    assert api.delete(f"{path}/{returned.json()['id']}").status == 204
    assert api.get(f"/work-orders/{order['id']}").json()["totals"]["net"] == 3.34 + 120
    assert [line["kind"] for line in api.get(path).json()["items"]] == ["part", "labour"]
    refused = api.post(path, {"kind": "part", "quantity": 1, "unit_price": 1, "currency": "USD"})
    assert refused.status == 422
    assert error_fields(refused) == ["body.currency"]
    assert api.post(path, {"kind": "part", "quantity": 1}).status == 422
    assert api.post(path, {"kind": "labour", "quantity": 1, "rate_id": "rate_nope"}).status == 404
    kinds = [e["type"] for e in api.get(f"/work-orders/{order['id']}/events").json()["items"]]
    assert kinds == ["created", "line_added", "line_added", "line_added", "line_changed", "line_removed"]


def test_a_closed_order_takes_notes_but_no_lines(api: Api) -> None:
    order = new_order(api)
    api.post(f"/work-orders/{order['id']}/close", {"outcome": "incomplete", "reason_code": "other"})
    line = api.post(f"/work-orders/{order['id']}/items", {"kind": "other", "quantity": 1, "unit_price": 5})
    assert line.status == 409
    assert line.json()["error"]["code"] == "order_closed"
    note = api.post(
        f"/work-orders/{order['id']}/notes", {"text": "Customer called back", "visibility": "customer"}
    )
    assert note.status == 201, note.body
    assert note.json()["visibility"] == "customer"
    notes = api.get(f"/work-orders/{order['id']}/notes").json()["items"]
    assert [n["text"] for n in notes] == ["Customer called back"]
    assert [o["id"] for o in api.get("/work-orders?q=called%20back").json()["items"]] == [order["id"]]


def test_a_task_reopened_on_its_own_is_free_for_a_new_order(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck)
    order = new_order(api, task_ids=[task["id"]])
    api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"})
    # The task's own reopen puts back what the completion changed, the closed order's mark too.
    assert api.post(f"/tasks/{task['id']}/reopen").status == 200
    again = api.post("/work-orders", {"title": "Redo", "task_ids": [task["id"]]})
    assert again.status == 201, again.body
    taken = api.post("/work-orders", {"title": "Third", "task_ids": [task["id"]]})
    assert taken.status == 409
    assert taken.json()["error"]["code"] == "task_covered"


def test_two_orders_racing_for_one_task_one_gets_it(api: Api, truck: dict[str, Any]) -> None:
    task = new_task(api, truck)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda i: api.post("/work-orders", {"title": f"Race {i}", "task_ids": [task["id"]]}), range(2)
            )
        )
    assert sorted(answer.status for answer in answers) == [201, 409]
    winner = next(answer.json() for answer in answers if answer.status == 201)
    listed = api.get("/work-orders").json()["items"]
    assert [order["id"] for order in listed if order["tasks"]] == [winner["id"]]


def test_meters_for_an_asset_the_order_does_not_cover_are_refused_by_their_own_rule(
    api: Api, truck: dict[str, Any]
) -> None:
    # Found by make fuzz (seed 1807987983): the document allows any asset id here.
    order = new_order(api, asset_ids=[truck["id"]])
    other = api.create_asset(name="Not in the order")
    refused = api.post(
        f"/work-orders/{order['id']}/close", {"outcome": "complete", "meters": [{"asset_id": other["id"]}]}
    )
    assert refused.status == 422
    assert refused.json()["error"]["code"] == "asset_not_in_order"
    assert error_fields(refused) == ["body.meters.0.asset_id"]
    assert api.get(f"/work-orders/{order['id']}").json()["state"] == "open"
    closed = api.post(
        f"/work-orders/{order['id']}/close",
        {"outcome": "complete", "meters": [{"asset_id": truck["id"], "odometer_km": 45_100}]},
    )
    assert closed.status == 200, closed.body


def test_a_line_cannot_lose_its_quantity_or_its_price(api: Api) -> None:
    order = new_order(api)
    path = f"/work-orders/{order['id']}/items"
    line = api.post(path, {"kind": "part", "quantity": 2, "unit_price": 5}).json()
    no_quantity = api.patch(f"{path}/{line['id']}", {"quantity": None})
    assert no_quantity.status == 422
    assert error_fields(no_quantity) == ["body.quantity"]
    no_price = api.patch(f"{path}/{line['id']}", {"unit_price": None})
    assert no_price.status == 422
    assert no_price.json()["error"]["code"] == "price_needed"
    assert api.get(f"{path}/{line['id']}").json()["net"] == 10
