"""Edge values in every field of every write, and in the time filters of the reads.

A property per route, over values the generators of a schema rarely reach: the ends of the
calendar (year 1, year 9999, offsets that cross them, 1969, 3000, leap days, 24:00), subnormal,
huge, negative and negative-zero numbers, integers past 2**53, empty and outsized text, control
characters. Whatever is sent:

- the answer is never 5xx;
- a 400 or 422 names each field it refuses (``body.``, ``query.``, ``header.``, ``path.``);
- a refused write changes nothing the account has stored;
- after an accepted one, every read of the account still answers (nothing poisons a read).

``make test`` replays a fixed set of examples per route (derandomized); set
SERVICECYCLE_EDGE_EXAMPLES for a longer, random run.
"""

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Api, stored_items

EXAMPLES = int(os.environ.get("SERVICECYCLE_EDGE_EXAMPLES", "30"))
DERANDOMIZE = "SERVICECYCLE_EDGE_EXAMPLES" not in os.environ
NOW = datetime.now(UTC).replace(microsecond=0)
FIELD_PREFIXES = ("body", "query", "header.", "path.")
MACHINE_WORDING = ("Input should", "Value error", "String should", "Field required")

EDGE_NUMBERS = [
    5e-324,
    -5e-324,
    1e-320,
    2.2250738585072014e-308,
    -0.0,
    0,
    1e-7,
    0.0005,
    0.0015,
    -1,
    1e308,
    1.7976931348623157e308,
    2**53 + 1,
    2**63,
    -(2**63),
    10**30,
    123456789.123456789,
    36_500,
    36_501,
]
EDGE_TIMES = [
    "0999-06-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999Z",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00+01:00",
    "1970-01-01T00:00:00Z",
    "2999-12-31T23:59:59-23:59",
    "3000-01-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2024-02-29T12:00:00Z",
    "2026-03-29T02:30:00+01:00",
    "2026-13-01T00:00:00Z",
    "2026-01-01",
    "2026-01-01T00:00:00",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:60Z",
    "2026-01-01T00:00:00.123456789Z",
    "\uff12\uff10\uff12\uff16-01-01T00:00:00Z",  # full-width digits
    "1e9",
    "",
]
EDGE_DATES = [
    "0999-01-01",
    "0001-01-01",
    "1969-12-31",
    "1970-01-01",
    "2999-12-31",
    "3000-01-01",
    "9999-12-31",
    "2026-02-29",
    "2024-02-29",
    "2026-02-30",
    "2026-1-1",
    "",
]
EDGE_TEXT = ["", " ", "\u0000", "\t\n", "x" * 256, "\U0001f69c" * 300, "\u202eevil", "a\ud800b", "null"]

numbers = st.one_of(st.sampled_from(EDGE_NUMBERS), st.floats(), st.integers())
times = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()).map(
        datetime.isoformat
    ),
)
dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(lambda day: day.isoformat()))
texts = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=300))


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def _task(asset_id: str) -> dict[str, Any]:
    return {
        "asset_id": asset_id,
        "name": "Oil change",
        "description": "Engine oil",
        "repeat": True,
        "start": {"at": ago(5), "odometer_km": 12_000.0, "hours": 300.0},
        "conditions": {
            "distance": {"limit_km": 15_000.0, "notify_before_km": 1_000.0, "repeat_km": 15_000.0},
            "hours": {"limit_h": 500.0, "notify_at_percent": 90.0},
            "date": {"due": (NOW + timedelta(days=300)).date().isoformat(), "notify_before_days": 30},
        },
        "cost": {"amount": 120.5, "currency": "EUR"},
        "recipients": {"sms": ["+4915112345678"], "emails": ["fleet@example.com"]},
    }


# Per route: the path and a valid body, given the ids of an asset (with readings) and its task.
WRITES: dict[str, Callable[[dict[str, str]], tuple[str, str, Any]]] = {
    "create asset": lambda ids: (
        "POST",
        "/assets",
        {"name": "T", "type": "vehicle", "production_year": 2020, "external_id": "E"},
    ),
    "update asset": lambda ids: ("PATCH", f"/assets/{ids['asset']}", {"name": "U", "production_year": 2021}),
    "record reading": lambda ids: (
        "POST",
        f"/assets/{ids['asset']}/readings",
        {"time": ago(0.5), "odometer_km": 12_500.0, "hours": 310.0},
    ),
    "record readings": lambda ids: (
        "POST",
        "/readings",
        {
            "readings": [
                {"asset_id": ids["asset"], "time": ago(0.25), "odometer_km": 12_600.0, "hours": 311.0}
            ]
        },
    ),
    "create task": lambda ids: ("POST", "/tasks", _task(ids["asset"])),
    "create tasks": lambda ids: (
        "POST",
        "/tasks/batch",
        {"asset_ids": [ids["asset"]], "task": {**_task(ids["asset"]), "asset_id": None}},
    ),
    "update task": lambda ids: (
        "PATCH",
        f"/tasks/{ids['task']}",
        {"conditions": {"distance": {"notify_before_km": 500.0}, "date": {"notify_before_days": 10}}},
    ),
    "complete task": lambda ids: (
        "POST",
        f"/tasks/{ids['task']}/complete",
        {"at": ago(1), "odometer_km": 12_400.0, "hours": 305.0, "cost": {"amount": 10.0}, "occurrence": 1},
    ),
    "update settings": lambda ids: ("PATCH", "/settings", {"time_zone": "Europe/Berlin", "currency": "EUR"}),
    "create work-order status": lambda ids: (
        "POST",
        "/work-order-statuses",
        {"key": "edge_step", "name": "Edge", "position": 35, "starts_work": True, "transitions": ["new"]},
    ),
    "create site": lambda ids: (
        "POST",
        "/sites",
        {
            "name": "Edge depot",
            "number": "D-1",
            "kind": "depot",
            "address": {"line1": "Street 1", "postal_code": "20457", "city": "Hamburg", "country": "DE"},
        },
    ),
    "create file": lambda ids: (
        "POST",
        "/files",
        {
            "filename": "report.pdf",
            "content_type": "application/pdf",
            "size": 2048,
            "link": {"kind": "task", "id": ids["task"]},
        },
    ),
}
READS = [
    "/assets/{asset}/readings?from={time}",
    "/assets/{asset}/readings?to={time}",
    "/tasks?due_before={time}",
    "/tasks?status=upcoming,overdue&due_after={time}",
    "/tasks/report?format=csv&due_before={time}",
]


def _without_nulls(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: _without_nulls(v) for k, v in body.items() if v is not None}
    if isinstance(body, list):
        return [_without_nulls(v) for v in body]
    return body


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [(path, value)]


def _replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = list(body) if isinstance(body, list) else dict(body)
    copy[path[0]] = _replaced(body[path[0]], path[1:], value)
    return copy


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        return "time"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return "date"
    return "text"


POOLS: dict[str, list[Any]] = {
    "boolean": [0, 1, "true", None, 1.0],
    "number": EDGE_NUMBERS,
    "time": EDGE_TIMES,
    "date": EDGE_DATES,
    "text": EDGE_TEXT,
}
STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "boolean": st.sampled_from(POOLS["boolean"]),
    "number": numbers,
    "time": times,
    "date": dates,
    "text": texts,
}


@pytest.fixture
def ids(api: Api) -> dict[str, str]:
    asset = api.create_asset(name="Edge truck", type="vehicle", meters=["odometer", "hours"])
    assert (
        api.post(
            f"/assets/{asset['id']}/readings", {"time": ago(3), "odometer_km": 12_000, "hours": 300}
        ).status
        == 201
    )
    task = api.post("/tasks", {**_task(asset["id"]), "start": {"at": ago(2)}})
    assert task.status == 201, task.body
    return {"asset": asset["id"], "task": task.json()["id"]}


def _check_refusal(response: Any) -> None:
    assert response.status < 500, response.body
    if response.status in (400, 422):
        details = response.json()["error"]["details"]
        assert details, response.body
        for detail in details:
            assert detail["field"].startswith(FIELD_PREFIXES), response.body
            assert detail["reason"] and not detail["reason"].startswith(MACHINE_WORDING), response.body


def _reads_still_answer(api: Api, ids: dict[str, str]) -> None:
    for path in ("/assets", f"/assets/{ids['asset']}/readings", "/tasks?status=upcoming,overdue"):
        read = api.get(path)
        assert read.status == 200, (path, read.body)


def _send(api: Api, ids: dict[str, str], route: str, where: tuple[Any, ...], edge: Any) -> None:
    """Send the route's valid request with one value replaced, and check the four properties."""
    method, path, valid = WRITES[route](ids)
    body = _replaced(_without_nulls(valid), where, edge)
    raw = json.dumps(body, allow_nan=True).encode()  # NaN and infinity as JSON text writes them
    before = stored_items(api.account)
    response = api.request(method, path, body=raw)
    _check_refusal(response)
    if 400 <= response.status < 500:
        assert stored_items(api.account) == before, f"a refused {route} changed stored data"
    else:
        _reads_still_answer(api, ids)


SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=DERANDOMIZE,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("route", list(WRITES))
def test_every_edge_value_in_every_field_of_a_write(api: Api, ids: dict[str, str], route: str) -> None:
    """Each field of the route's valid request in turn, with each value of its kind's edge pool."""
    _, _, valid = WRITES[route](ids)
    for where, original in _leaves(_without_nulls(valid)):
        for edge in POOLS[_kind(original)]:
            _send(api, ids, route, where, edge)


@pytest.mark.parametrize("route", list(WRITES))
@SETTINGS
@given(data=st.data())
def test_random_values_in_a_write_are_refused_cleanly_or_kept_readable(
    api: Api, ids: dict[str, str], route: str, data: st.DataObject
) -> None:
    _, _, valid = WRITES[route](ids)
    where, original = data.draw(st.sampled_from(_leaves(_without_nulls(valid))), label="field")
    _send(api, ids, route, where, data.draw(STRATEGIES[_kind(original)], label="value"))


@pytest.mark.parametrize("template", READS)
@SETTINGS
@given(moment=times)
def test_edge_times_in_a_filter_never_break_a_read(
    api: Api, ids: dict[str, str], template: str, moment: str
) -> None:
    from urllib.parse import quote  # noqa: PLC0415

    response = api.get(template.format(asset=ids["asset"], time=quote(moment, safe="")))
    _check_refusal(response)
