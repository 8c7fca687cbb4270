"""Input nobody planned for: calendar edges, subnormal numbers, bytes that are not UTF-8, schema
edges. Each test names the item of the hardening issue it guards (#10, items 1-5, 9, 17-19).

What every one of them asserts: a clear 4xx naming the field (never a 5xx), nothing written by
a refused request, and a value that was accepted reads back.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, to_item
from tests.conftest import Api

NOW = datetime.now(UTC).replace(microsecond=0)
OUT_OF_RANGE = [
    "0999-06-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "1969-12-31T23:59:59Z",
    "3000-01-01T00:00:00Z",
]


def ago(**delta: float) -> str:
    return (NOW - timedelta(**delta)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def truck(api: Api) -> dict:
    asset = api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])
    assert (
        api.post(f"/assets/{asset['id']}/readings", {"time": ago(days=2), "odometer_km": 1000}).status == 201
    )
    return asset


def fields_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [detail["field"] for detail in response.json()["error"]["details"]]


# --- 1. Times outside the accepted range ---------------------------------------------------------


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_item1_reading_times_outside_1970_to_2999_are_422_and_nothing_is_written(
    api: Api, truck: dict, moment: str
) -> None:
    one = api.post(f"/assets/{truck['id']}/readings", {"time": moment, "odometer_km": 5})
    assert one.status == 422, one.body
    assert fields_of(one) == ["body.time"]
    batch = api.post("/readings", {"readings": [{"asset_id": truck["id"], "time": moment, "odometer_km": 5}]})
    assert batch.status == 422
    assert fields_of(batch) == ["body.readings.0.time"]
    assert len(api.get(f"/assets/{truck['id']}/readings").json()["items"]) == 1
    assert api.get(f"/assets/{truck['id']}").status == 200


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_item1_task_and_query_times_outside_the_range_are_422(api: Api, truck: dict, moment: str) -> None:
    conditions = {"distance": {"limit_km": 1000}}
    started = api.post(
        "/tasks", {"asset_id": truck["id"], "name": "X", "conditions": conditions, "start": {"at": moment}}
    )
    assert (started.status, fields_of(started)) == (422, ["body.start.at"])
    task = api.post("/tasks", {"asset_id": truck["id"], "name": "X", "conditions": conditions}).json()
    done = api.post(f"/tasks/{task['id']}/complete", {"at": moment})
    assert (done.status, fields_of(done)) == (422, ["body.at"])
    assert api.get(f"/tasks/{task['id']}").json()["occurrence"] == 1
    encoded = moment.replace("+", "%2B")
    listed = api.get(f"/assets/{truck['id']}/readings?from={encoded}")
    assert (listed.status, fields_of(listed)) == (422, ["query.from"])
    assert fields_of(api.get(f"/tasks?due_before={encoded}")) == ["query.due_before"]


@pytest.mark.parametrize(
    "moment", ["1970-01-01T00:00:00Z", "1970-01-01T00:30:00+01:00", "2000-02-29T23:59:59.999999Z"]
)
def test_item1_times_at_the_edge_of_the_range_are_kept_and_read_back(
    api: Api, truck: dict, moment: str
) -> None:
    api.post(f"/assets/{truck['id']}/readings", {"time": ago(days=1), "odometer_km": 2000})
    stored = api.post(f"/assets/{truck['id']}/readings", {"time": moment, "odometer_km": 0})
    assert stored.status == 201, stored.body
    sent = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    listed = api.get(f"/assets/{truck['id']}/readings?order=asc").json()["items"]
    assert datetime.fromisoformat(listed[0]["time"]) == sent


def test_item1_items_stored_with_a_short_year_do_not_break_reads(api: Api) -> None:
    """Readings written by an older version with an unpadded year ("999-...") still read."""
    asset = api.create_asset(name="Old data", type="vehicle")
    stamp = "999-06-01T00:00:00.000000Z"
    reading = {
        "PK": keys.readings_pk(api.account, asset["id"]),
        "SK": keys.reading_sk(stamp),
        "entity": "reading",
        "asset_id": asset["id"],
        "time": stamp,
        "odometer_km": 10.0,
        "raw_odometer_km": 10.0,
        "applied": True,
        "recorded_at": "2026-01-01T00:00:00.000000Z",
    }
    client.put_item(TableName=TABLE_NAME, Item=to_item(reading))
    client.update_item(
        TableName=TABLE_NAME,
        Key={"PK": {"S": keys.account_pk(api.account)}, "SK": {"S": keys.asset_sk(asset["id"])}},
        UpdateExpression="SET current_at = :at, odometer_km = :km",
        ExpressionAttributeValues={":at": {"S": stamp}, ":km": {"N": "10"}},
    )
    assert api.get(f"/assets/{asset['id']}").json()["current"]["at"].startswith("0999-06-01")
    assert api.get("/assets").status == 200
    assert api.get(f"/assets/{asset['id']}/readings").status == 200
    later = api.post(f"/assets/{asset['id']}/readings", {"time": ago(hours=1), "odometer_km": 20})
    assert later.status == 201, later.body
    assert api.get(f"/assets/{asset['id']}").json()["current"]["odometer_km"] == 20


# --- 2. A back-dated reading fits between its neighbours ------------------------------------------


def test_item2_a_back_dated_reading_above_a_later_one_is_422_naming_the_neighbour(
    api: Api, truck: dict
) -> None:
    assert (
        api.post(f"/assets/{truck['id']}/readings", {"time": ago(minutes=10), "odometer_km": 5000}).status
        == 201
    )
    refused = api.post(f"/assets/{truck['id']}/readings", {"time": ago(minutes=20), "odometer_km": 9000})
    assert refused.status == 422
    error = refused.json()["error"]
    assert (error["code"], fields_of(refused)) == ("meter_out_of_order", ["body.odometer_km"])
    assert f"5000 km read later, at {ago(minutes=10)}" in error["message"]
    below = api.post(f"/assets/{truck['id']}/readings", {"time": ago(days=3), "odometer_km": 1500})
    assert (below.status, below.json()["error"]["code"]) == (422, "meter_out_of_order")
    fits = api.post(f"/assets/{truck['id']}/readings", {"time": ago(minutes=20), "odometer_km": 4000})
    assert (fits.status, fits.json()["applied"]) == (201, False)
    values = [r["odometer_km"] for r in api.get(f"/assets/{truck['id']}/readings?order=asc").json()["items"]]
    assert values == sorted(values) == [1000, 4000, 5000]


def test_item2_readings_of_one_batch_are_neighbours_of_each_other(api: Api, truck: dict) -> None:
    api.post(f"/assets/{truck['id']}/readings", {"time": ago(minutes=1), "odometer_km": 9000})
    result = api.post(
        "/readings",
        {
            "readings": [
                {"asset_id": truck["id"], "time": ago(minutes=20), "odometer_km": 5000},
                {"asset_id": truck["id"], "time": ago(minutes=30), "odometer_km": 6000},
            ]
        },
    ).json()
    # In time order: 6,000 km 30 minutes ago is taken; 5,000 km ten minutes later cannot follow it.
    outcomes = [(r["outcome"], (r.get("error") or {}).get("code")) for r in result["results"]]
    assert outcomes == [("rejected", "meter_out_of_order"), ("history", None)]
    assert result["results"][0]["error"]["details"][0]["field"] == "body.readings.0.odometer_km"


# --- 3. Time zones that are folders ----------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America", "Etc", "US", "America/Indiana", "Europe/", "../etc/passwd"])
def test_item3_a_time_zone_folder_is_not_a_zone(api: Api, zone: str) -> None:
    response = api.patch("/settings", {"time_zone": zone})
    assert response.status == 422
    assert fields_of(response) == ["body.time_zone"]
    assert api.get("/settings").json()["time_zone"] == "UTC"
    assert api.patch("/settings", {"time_zone": "America/Indiana/Indianapolis"}).status == 200


# --- 4. Subnormal and extreme numbers --------------------------------------------------------------

SUBNORMALS = [5e-324, 1e-320, 2.2250738585072014e-308]


@pytest.mark.parametrize("tiny", SUBNORMALS)
def test_item4_subnormal_numbers_round_to_the_kept_precision_or_are_422(
    api: Api, truck: dict, tiny: float
) -> None:
    task = {
        "asset_id": truck["id"],
        "name": "Oil",
        "repeat": True,
        "conditions": {"distance": {"limit_km": 1000, "notify_before_km": tiny, "repeat_km": 500}},
        "cost": {"amount": tiny, "currency": "EUR"},
        "start": {"odometer_km": tiny},
    }
    created = api.post("/tasks", task)
    assert created.status == 201, created.body
    body = created.json()
    assert body["conditions"]["distance"]["notify_before_km"] == 0
    assert (body["cost"]["amount"], body["start"]["odometer_km"]) == (0, 0)
    assert api.get(f"/tasks/{body['id']}").json()["cost"] == body["cost"]
    for where, conditions in [
        ("body.conditions.distance.limit_km", {"distance": {"limit_km": tiny}}),
        ("body.conditions.distance.repeat_km", {"distance": {"limit_km": 10, "repeat_km": tiny}}),
        (
            "body.conditions.distance.notify_at_percent",
            {"distance": {"limit_km": 10, "notify_at_percent": tiny}},
        ),
        ("body.conditions.date.every_days", {"date": {"every_days": tiny}}),
    ]:
        refused = api.post("/tasks", {**task, "conditions": conditions, "cost": None})
        assert (refused.status, fields_of(refused)) == (422, [where])
    reading = api.post(
        f"/assets/{truck['id']}/readings",
        {"odometer_km": tiny, "hours": tiny, "meter_replaced": ["odometer"]},
    )
    assert reading.status == 201, reading.body
    completed = api.post(f"/tasks/{body['id']}/complete", {"odometer_km": tiny, "hours": tiny})
    assert completed.status == 200, completed.body
    assert api.post(f"/tasks/{body['id']}/complete", {"cost": {"amount": tiny}}).status == 200


def test_item4_numbers_keep_their_documented_precision(api: Api, truck: dict) -> None:
    created = api.post(
        "/tasks",
        {
            "asset_id": truck["id"],
            "name": "Precise",
            "conditions": {"distance": {"limit_km": 1000.00049, "notify_at_percent": 33.333}},
            "cost": {"amount": 10.005, "currency": "JPY"},
        },
    ).json()
    distance = created["conditions"]["distance"]
    assert (distance["limit_km"], distance["notify_at_percent"]) == (1000.0, 33.33)
    assert created["cost"] == {"amount": 10, "currency": "JPY"}
    reading = api.post(f"/assets/{truck['id']}/readings", {"odometer_km": 1234.56789}).json()
    assert reading["odometer_km"] == 1234.568


# --- 5. Bytes that are not UTF-8 -------------------------------------------------------------------


def test_item5_a_body_that_is_not_utf8_is_400_and_nothing_is_stored(api: Api) -> None:
    response = api.post("/assets", body=b'{"name": "Truck \xff\xfe 9"}')
    assert response.status == 400
    assert response.json()["error"]["details"] == [
        {"field": "body", "reason": "The body is not valid UTF-8 text"}
    ]
    assert api.get("/assets").json()["items"] == []
    text = api.post("/assets", body='{"name": "Trück \ufffd 9"}'.encode())
    assert text.status == 201
    assert text.json()["name"] == "Trück \ufffd 9"


# --- 9. What the schema allows is accepted; what it does not is refused -----------------------------


def test_item9_whole_numbers_written_with_a_decimal_point_are_accepted(api: Api) -> None:
    created = api.post("/assets", {"name": "Old", "production_year": 1980.0})
    assert created.status == 201, created.body
    assert api.get(f"/assets/{created.json()['id']}").json()["production_year"] == 1980
    assert api.post("/assets", {"name": "Old", "production_year": 1980.5}).status == 422


def test_item9_a_cursor_the_api_did_not_issue_is_a_rule_not_a_schema_error(api: Api) -> None:
    for path in ("/assets?next=0", "/tasks?next=0", "/tasks?status=overdue&next=0"):
        response = api.get(path)
        assert (response.status, response.json()["error"]["code"]) == (422, "invalid_cursor"), path
        assert fields_of(response) == ["query.next"]


@pytest.mark.parametrize(
    ("key", "status"),
    [("k" * 255, 201), ("~!{}" * 10, 201), ("k" * 256, 422), ("with space", 422), ("ümlaut", 422)],
)
def test_item9_idempotency_keys_are_accepted_exactly_as_documented(api: Api, key: str, status: int) -> None:
    response = api.post("/assets", {"name": "Keyed"}, headers={"Idempotency-Key": key})
    assert response.status == status, response.body
    if status == 422:
        assert fields_of(response) == ["header.Idempotency-Key"]


@pytest.mark.parametrize(
    ("value", "status"), [("", 400), ("abc", 400), ('"1', 400), ("1", 200), ('W/"1"', 200)]
)
def test_item9_if_match_is_checked_as_documented(api: Api, value: str, status: int) -> None:
    asset = api.create_asset(name="Versioned")
    response = api.patch(f"/assets/{asset['id']}", {"name": "V2"}, headers={"If-Match": value})
    assert response.status == status, response.body
    if status == 400:
        assert fields_of(response) == ["header.If-Match"]


@pytest.mark.parametrize(
    ("phone", "accepted"),
    [
        ("+4915112345678", True),
        ("+12025550123", True),
        ("+8001234567", True),
        ("+999123456789", False),
        ("+0123456789", False),
        ("4915112345678", False),
        ("+49 151 1234567", False),
        ("+491", False),
    ],
)
def test_item9_phone_numbers_are_accepted_exactly_as_documented(
    api: Api, truck: dict, phone: str, accepted: bool
) -> None:
    response = api.post(
        "/tasks",
        {
            "asset_id": truck["id"],
            "name": "Tell",
            "conditions": {"date": {"every_days": 30}},
            "recipients": {"sms": [phone]},
        },
    )
    assert response.status == (201 if accepted else 422), response.body
    if not accepted:
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert fields_of(response) == ["body.recipients.sms.0"]
        assert error["details"][0]["reason"] in (
            "at least 8 characters",
            "not a valid E.164 phone number: + then the country calling code and the number, 7 to 15 "
            "digits in all, nothing else (e.g. +4915112345678)",
        )


def test_item9_a_trailing_slash_is_no_route(api: Api) -> None:
    assert api.get("/tasks/").status == 404
    assert api.get("/assets/").status == 404


# --- 17-19. Error bodies a client can code against -----------------------------------------------


def test_item17_every_field_path_says_where_the_value_was(api: Api, truck: dict) -> None:
    van = api.create_asset(name="Van", type="vehicle")
    rule = api.post("/tasks", {"asset_id": van["id"], "name": "X", "conditions": {"hours": {"limit_h": 0.5}}})
    assert fields_of(rule) == ["body.conditions.hours"]
    schema = api.post(
        "/tasks", {"asset_id": truck["id"], "name": "", "conditions": {"hours": {"limit_h": 1}}}
    )
    assert fields_of(schema) == ["body.name"]
    assert fields_of(api.get("/assets?limit=0")) == ["query.limit"]
    assert fields_of(api.patch(f"/assets/{truck['id']}", {"name": "Y"}, headers={"If-Match": "x"})) == [
        "header.If-Match"
    ]
    missing = api.post(
        "/tasks", {"asset_id": "ast_nope", "name": "X", "conditions": {"hours": {"limit_h": 1}}}
    )
    assert (missing.status, fields_of(missing)) == (404, ["body.asset_id"])
    stale = api.patch(f"/assets/{truck['id']}", {"name": "Y"}, headers={"If-Match": "7"})
    assert (stale.status, fields_of(stale)) == (412, ["header.If-Match"])
    api.create_asset(name="Tagged", external_id="TAG-1")
    taken = api.post("/assets", {"name": "Again", "external_id": "TAG-1"})
    assert (taken.status, fields_of(taken)) == (409, ["body.external_id"])


def test_item18_reasons_are_written_for_people(api: Api, truck: dict) -> None:
    reasons = []
    for body in (
        {"name": "X", "conditions": {"date": {"every_days": 30, "every_months": 1}}},
        {"name": " ", "conditions": {"date": {"every_days": 30}}},
        {
            "name": "X",
            "conditions": {"date": {"every_days": 30}},
            "recipients": {"emails": ["nobody@localhost"]},
        },
        {"name": "X", "conditions": {"date": {"due": "2026-02-30"}}},
        {"name": "X", "conditions": {"distance": {"limit_km": -1}}},
    ):
        response = api.post("/tasks", {"asset_id": truck["id"], **body})
        assert response.status == 422, body
        reasons += [detail["reason"] for detail in response.json()["error"]["details"]]
    assert reasons == [
        "give exactly one of due, every_days and every_months",
        "must contain something besides white space",
        "not a valid email address: name@domain with a dot in the domain, in ASCII "
        "(e.g. workshop@example.com)",
        "not a valid date, e.g. 2026-03-01",
        "must be at least 0.001",
    ]
    assert not [reason for reason in reasons if "Value error" in reason or "Input should" in reason]


def test_item19_task_names_take_255_characters(api: Api, truck: dict) -> None:
    body = {"asset_id": truck["id"], "conditions": {"date": {"every_days": 30}}}
    assert api.post("/tasks", {**body, "name": "n" * 255}).status == 201
    too_long = api.post("/tasks", {**body, "name": "n" * 256})
    assert (too_long.status, too_long.json()["error"]["details"][0]["reason"]) == (
        422,
        "at most 255 characters",
    )


# --- Found by make fuzz (random seeds), kept here as fixed cases ----------------------------------


def test_fuzz_a_reversed_range_names_the_parameter(api: Api, truck: dict) -> None:
    """Seed 1190934981: from after to was a 422 naming only "query"."""
    response = api.get(f"/assets/{truck['id']}/readings?from={ago(days=1)}&to={ago(days=3)}")
    assert response.status == 422
    error = response.json()["error"]
    assert (error["code"], fields_of(response)) == ("invalid_range", ["query.to"])


def test_fuzz_a_replaced_meter_without_its_value_names_the_field(api: Api, truck: dict) -> None:
    one = api.post(f"/assets/{truck['id']}/readings", {"hours": 5, "meter_replaced": ["odometer"]})
    assert (one.status, one.json()["error"]["code"]) == (422, "replacement_without_value")
    assert fields_of(one) == ["body.meter_replaced"]
    batch = api.post(
        "/readings", {"readings": [{"asset_id": truck["id"], "hours": 5, "meter_replaced": ["odometer"]}]}
    )
    assert fields_of(batch) == ["body.readings.0.meter_replaced"]


def test_fuzz_a_query_parameter_without_a_name_is_named_too(api: Api) -> None:
    response = api.get("/assets?=false")
    assert (response.status, fields_of(response)) == (422, ["query."])


def test_fuzz_a_task_list_filtered_by_an_id_that_cannot_exist_is_422(api: Api) -> None:
    """Seed 112880729: ?asset_id=<any text> answered an empty 200, which the document forbids; a
    mistyped id is now named, in the list as in its report."""
    for path in ("/tasks?asset_id=%F1%A4%95%84j", "/tasks?asset_id=ast_nope", "/tasks/report?asset_id=x"):
        response = api.get(path)
        assert (response.status, fields_of(response)) == (422, ["query.asset_id.0"]), path
        assert response.json()["error"]["details"][0]["reason"] == "not an asset id (ast_ and 26 characters)"


def test_fuzz_an_empty_list_parameter_is_refused_and_the_document_says_so(api: Api) -> None:
    """Seed 352148650: ?asset_id= (an empty list, which the document allowed) was refused as
    malformed. A list parameter names at least one value; the document now says minItems 1."""
    document = api.get("/openapi.json").json()
    for path, name in (
        ("/tasks", "asset_id"),
        ("/tasks", "status"),
        ("/tasks/report", "asset_id"),
        ("/assets", "service_status"),
    ):
        response = api.get(f"{path}?{name}=")
        assert (response.status, response.json()["error"]["code"]) == (422, "validation_error"), path
        [parameter] = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name]
        [as_list] = [option for option in parameter["schema"]["anyOf"] if option.get("type") == "array"]
        assert as_list["minItems"] == 1


def test_fuzz_a_batch_result_names_only_ids_so_its_ids_can_be_used_again(api: Api, truck: dict) -> None:
    """Seed 1654641105 (stateful): a batch result echoed a malformed asset id as sent, and a
    client (here schemathesis, following the response) passing it on to GET /tasks?asset_id= got
    a 422. A result names the asset or task only when what was sent is an id; the document says
    so (the id patterns), and ``index`` tells the items apart."""
    missing = "ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7"
    body = {
        "asset_ids": ["\u00e4\U000c9400f", missing],
        "task": {"name": "X", "conditions": {"date": {"every_days": 30}}},
    }
    results = api.post("/tasks/batch", body).json()["results"]
    assert [(r["index"], r["asset_id"], r["status"]) for r in results] == [(0, None, 404), (1, missing, 404)]
    well_formed = "tsk_" + missing[4:] + missing[4:]
    deleted = api.post("/tasks/batch-delete", {"task_ids": ["tsk_nonsense", well_formed]}).json()["results"]
    assert [(r["task_id"], r["status"]) for r in deleted] == [(None, 404), (well_formed, 404)]
    document = api.get("/openapi.json").json()
    result = document["components"]["schemas"]["TaskResult"]["properties"]
    assert "pattern" in json.dumps(result["asset_id"]) and "pattern" in json.dumps(result["task_id"])
