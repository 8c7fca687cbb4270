"""The account's work-order catalogues: statuses, types, close reasons, hourly rates and sites
(docs/work-orders.md, "Catalogues"), and the look-ups the order code makes in them."""

from typing import Any

import pytest

from local.gateway import LocalResponse
from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, to_item
from shared.faults import Invalid, NotFound
from shared.services import work_order_catalogue as catalogue
from tests.conftest import Api

SEEDED = ["new", "scheduled", "in_progress", "on_hold", "closed_complete", "closed_incomplete"]


def refusal(response: LocalResponse) -> tuple[int, str, list[str]]:
    error = response.json()["error"]
    return response.status, error["code"], [detail["field"] for detail in error["details"]]


def listed(api: Api, path: str, name: str = "key") -> list[Any]:
    response = api.get(path)
    assert response.status == 200, response.body
    return [entry[name] for entry in response.json()["items"]]


def status(api: Api, key: str) -> dict[str, Any]:
    return next(s for s in api.get("/work-order-statuses").json()["items"] if s["key"] == key)


def put_order_in(account: str, status_key: str) -> None:
    """An order in ``status_key`` as the order code indexes it (GSI7)."""
    item = {
        "PK": keys.order_pk(account, "wo_test"),
        "SK": keys.ORDER_SK,
        "GSI7PK": keys.orders_by_status_gsi7pk(account, status_key),
        "GSI7SK": keys.order_number_key(1),
    }
    client.put_item(TableName=TABLE_NAME, Item=to_item(item))


# Statuses


def test_every_account_starts_with_the_seeded_statuses_in_workflow_order(api: Api) -> None:
    statuses = api.get("/work-order-statuses").json()["items"]
    assert [s["key"] for s in statuses] == SEEDED
    assert all(s["seeded"] and s["version"] == 0 for s in statuses)
    assert [s["category"] for s in statuses] == ["open"] * 4 + ["closed"] * 2
    assert status(api, "in_progress")["starts_work"] is True
    assert [s.key for s in catalogue.order_statuses(api.account)] == SEEDED


def test_an_added_status_takes_its_place_in_the_workflow(api: Api) -> None:
    body = {
        "key": "waiting_parts",
        "name": "Waiting for parts",
        "position": 35,
        "transitions": ["in_progress"],
    }
    created = api.post("/work-order-statuses", body)
    assert created.status == 201, created.body
    assert created.json() | {"updated_at": None} == {
        **body,
        "category": "open",
        "starts_work": False,
        "seeded": False,
        "version": 1,
        "updated_at": None,
    }
    assert created.headers["ETag"] == '"1"'
    assert listed(api, "/work-order-statuses") == [*SEEDED[:3], "waiting_parts", *SEEDED[3:]]
    ours = next(s for s in catalogue.order_statuses(api.account) if s.key == "waiting_parts")
    assert (ours.position, ours.transitions) == (35, ("in_progress",))


@pytest.mark.parametrize("key", ["new", "closed_complete", "twice"])
def test_a_status_key_is_taken_once(api: Api, key: str) -> None:
    api.post("/work-order-statuses", {"key": "twice", "name": "Twice", "position": 50})
    again = api.post("/work-order-statuses", {"key": key, "name": "Again", "position": 60})
    assert refusal(again) == (409, "key_taken", ["body.key"])


def test_transitions_name_open_statuses_of_the_account(api: Api) -> None:
    body = {
        "key": "triage",
        "name": "Triage",
        "position": 5,
        "transitions": ["new", "nowhere", "closed_complete"],
    }
    response = api.post("/work-order-statuses", body)
    assert refusal(response) == (422, "unknown_status", ["body.transitions.1", "body.transitions.2"])
    patched = api.patch("/work-order-statuses/new", {"transitions": ["scheduled", "gone"]})
    assert refusal(patched) == (422, "unknown_status", ["body.transitions.1"])
    assert status(api, "new")["version"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "Upper", "name": "X", "position": 1}, "body.key"),
        ({"key": "x", "name": "X", "position": 0}, "body.position"),
        ({"key": "x", "name": "X", "position": 1000}, "body.position"),
        ({"key": "x", "name": "X", "position": 1, "category": "closed"}, "body.category"),
        ({"key": "x", "name": " ", "position": 1}, "body.name"),
    ],
)
def test_status_fields_have_their_ranges(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.post("/work-order-statuses", body)
    assert response.status == 422
    assert field in refusal(response)[2]


def test_a_seeded_status_changed_is_the_accounts_own_version_of_it(api: Api) -> None:
    renamed = api.patch("/work-order-statuses/new", {"name": "Received", "transitions": ["scheduled"]})
    assert renamed.status == 200, renamed.body
    assert (renamed.json()["name"], renamed.json()["seeded"], renamed.json()["version"]) == (
        "Received",
        True,
        1,
    )
    stale = api.patch("/work-order-statuses/new", {"position": 1}, headers={"If-Match": '"0"'})
    assert refusal(stale)[:2] == (412, "precondition_failed")
    moved = api.patch(
        "/work-order-statuses/new", {"position": 99, "transitions": None}, headers={"If-Match": '"1"'}
    )
    assert moved.json()["transitions"] is None
    assert listed(api, "/work-order-statuses")[-1] == "new"
    assert status(api, "new")["name"] == "Received"


def test_the_closed_statuses_are_the_systems(api: Api) -> None:
    assert api.patch("/work-order-statuses/closed_complete", {"name": "Done"}).json()["name"] == "Done"
    for change in ({"category": "open"}, {"starts_work": True}, {"transitions": ["new"]}):
        response = api.patch("/work-order-statuses/closed_complete", change)
        assert refusal(response) == (409, "system_status", [f"body.{next(iter(change))}"])
    assert refusal(api.delete("/work-order-statuses/closed_incomplete"))[:2] == (409, "system_status")


def test_deleting_a_seeded_status_leaves_a_tombstone_and_the_key_free(api: Api) -> None:
    assert api.delete("/work-order-statuses/on_hold").status == 204
    assert "on_hold" not in listed(api, "/work-order-statuses")
    assert "on_hold" not in [s.key for s in catalogue.order_statuses(api.account)]
    assert api.delete("/work-order-statuses/on_hold").status == 404
    again = api.post("/work-order-statuses", {"key": "on_hold", "name": "Paused", "position": 45})
    assert again.status == 201
    assert (again.json()["seeded"], again.json()["version"]) == (True, 2)


def test_an_added_status_is_deleted_with_if_match(api: Api) -> None:
    api.post("/work-order-statuses", {"key": "quoted", "name": "Quoted", "position": 15})
    assert api.delete("/work-order-statuses/quoted", headers={"If-Match": '"2"'}).status == 412
    assert api.delete("/work-order-statuses/quoted", headers={"If-Match": '"1"'}).status == 204
    assert "quoted" not in listed(api, "/work-order-statuses")


def test_a_status_an_order_is_in_or_another_status_moves_to_stays(api: Api) -> None:
    put_order_in(api.account, "scheduled")
    assert refusal(api.delete("/work-order-statuses/scheduled"))[:2] == (409, "status_in_use")
    api.post(
        "/work-order-statuses", {"key": "triage", "name": "Triage", "position": 5, "transitions": ["new"]}
    )
    refused = api.delete("/work-order-statuses/new")
    assert refusal(refused)[:2] == (409, "status_referenced")
    assert "triage" in refused.json()["error"]["message"]
    assert listed(api, "/work-order-statuses")[:3] == ["triage", "new", "scheduled"]


def test_an_account_keeps_one_open_status(api: Api) -> None:
    for key in ("new", "scheduled", "in_progress"):
        assert api.delete(f"/work-order-statuses/{key}").status == 204
    assert refusal(api.delete("/work-order-statuses/on_hold"))[:2] == (409, "last_open_status")


def test_an_account_has_at_most_fifty_statuses(api: Api) -> None:
    for n in range(44):
        assert (
            api.post("/work-order-statuses", {"key": f"s{n}", "name": f"S{n}", "position": 100 + n}).status
            == 201
        )
    extra = api.post("/work-order-statuses", {"key": "one_more", "name": "One more", "position": 500})
    assert refusal(extra)[:2] == (409, "too_many_statuses")


def test_statuses_belong_to_one_account(api: Api, other_api: Api) -> None:
    api.post("/work-order-statuses", {"key": "mine", "name": "Mine", "position": 50})
    api.patch("/work-order-statuses/new", {"name": "Renamed"})
    assert listed(other_api, "/work-order-statuses") == SEEDED
    assert status(other_api, "new")["name"] == "New"
    assert refusal(other_api.patch("/work-order-statuses/mine", {"name": "X"}))[:2] == (404, "not_found")
    assert other_api.delete("/work-order-statuses/mine").status == 404
    assert api.delete("/work-order-statuses/NOT-A-KEY").status == 404


# Types


def test_the_built_in_types_have_seed_codes_and_the_account_adds_its_own(api: Api) -> None:
    types = api.get("/work-order-types").json()["items"]
    assert [(t["key"], t["code"]) for t in types] == [
        ("install", 1001),
        ("inspection", 1002),
        ("maintenance", 1003),
        ("de_install", 1004),
        ("repair", 1005),
        ("demo", 1006),
        ("training", 1007),
    ]
    assert all(t["built_in"] and t["version"] == 0 for t in types)
    created = api.post("/work-order-types", {"key": "calibration", "name": "Calibration"})
    assert created.status == 201
    assert created.json() | {"updated_at": None} == {
        "key": "calibration",
        "name": "Calibration",
        "code": None,
        "built_in": False,
        "version": 1,
        "updated_at": None,
    }
    assert listed(api, "/work-order-types")[-1] == "calibration"
    for taken in ("calibration", "repair"):
        assert refusal(api.post("/work-order-types", {"key": taken, "name": "X"})) == (
            409,
            "key_taken",
            ["body.key"],
        )


def test_types_are_renamed_and_only_the_accounts_deleted(api: Api, other_api: Api) -> None:
    renamed = api.patch("/work-order-types/repair", {"name": "Reparatur"}).json()
    assert (renamed["name"], renamed["code"], renamed["version"]) == ("Reparatur", 1005, 1)
    assert catalogue.require_type(api.account, "repair", "body.type") == {
        "key": "repair",
        "name": "Reparatur",
        "code": 1005,
    }
    assert refusal(api.delete("/work-order-types/repair"))[:2] == (409, "built_in")
    api.post("/work-order-types", {"key": "audit", "name": "Audit"})
    assert (
        api.patch("/work-order-types/audit", {"name": "Audit 2"}, headers={"If-Match": '"2"'}).status == 412
    )
    assert other_api.patch("/work-order-types/audit", {"name": "Mine"}).status == 404
    assert other_api.delete("/work-order-types/audit").status == 404
    assert "audit" not in listed(other_api, "/work-order-types")
    assert api.delete("/work-order-types/audit").status == 204
    assert api.delete("/work-order-types/audit").status == 404
    with pytest.raises(Invalid) as unknown:
        catalogue.require_type(api.account, "audit", "body.type")
    assert (unknown.value.code, unknown.value.issues[0].field) == ("unknown_type", "body.type")


# Reasons


def test_the_seeded_reasons_by_outcome(api: Api) -> None:
    assert listed(api, "/work-order-reasons", "code") == ["done", "no_access", "other", "parts_missing"]
    assert listed(api, "/work-order-reasons?outcome=incomplete", "code") == [
        "no_access",
        "other",
        "parts_missing",
    ]
    assert listed(api, "/work-order-reasons?outcome=complete", "code") == ["done"]
    assert api.get("/work-order-reasons?outcome=maybe").status == 422


def test_a_reason_code_is_unique_across_outcomes(api: Api) -> None:
    created = api.post(
        "/work-order-reasons", {"code": "weather", "outcome": "incomplete", "name": "Bad weather"}
    )
    assert created.status == 201
    assert (created.json()["seeded"], created.json()["version"]) == (False, 1)
    for outcome in ("incomplete", "complete"):
        again = api.post("/work-order-reasons", {"code": "weather", "outcome": outcome, "name": "Again"})
        assert refusal(again) == (409, "key_taken", ["body.code"])
    seeded = api.post("/work-order-reasons", {"code": "done", "outcome": "incomplete", "name": "Done?"})
    assert refusal(seeded)[:2] == (409, "key_taken")
    assert catalogue.require_reason(api.account, "incomplete", "weather", "body.reason_code") == {
        "code": "weather",
        "name": "Bad weather",
        "outcome": "incomplete",
    }
    with pytest.raises(Invalid) as wrong:
        catalogue.require_reason(api.account, "complete", "weather", "body.reason_code")
    assert (wrong.value.code, wrong.value.issues[0].field) == ("unknown_reason", "body.reason_code")


def test_a_deleted_seeded_reason_is_gone_and_its_code_free(api: Api, other_api: Api) -> None:
    assert other_api.delete("/work-order-reasons/weather").status == 404
    assert api.delete("/work-order-reasons/other").status == 204
    assert "other" not in listed(api, "/work-order-reasons", "code")
    assert "other" in listed(other_api, "/work-order-reasons", "code")
    with pytest.raises(Invalid):
        catalogue.require_reason(api.account, "incomplete", "other", "body.reason_code")
    moved = api.post("/work-order-reasons", {"code": "other", "outcome": "complete", "name": "Other"})
    assert moved.status == 201, moved.body
    assert catalogue.require_reason(api.account, "complete", "other", "f")["outcome"] == "complete"
    api.post("/work-order-reasons", {"code": "strike", "outcome": "incomplete", "name": "Strike"})
    assert api.delete("/work-order-reasons/strike", headers={"If-Match": '"1"'}).status == 204
    assert api.delete("/work-order-reasons/strike").status == 404
    assert api.delete("/work-order-reasons/no_access", headers={"If-Match": '"1"'}).status == 412


# Hourly rates


def test_a_rate_needs_the_accounts_currency(api: Api) -> None:
    response = api.post("/hourly-rates", {"name": "Workshop", "price_per_hour": 80})
    assert refusal(response) == (422, "currency_not_set", ["body.price_per_hour"])


def test_a_rate_is_priced_in_the_accounts_currency_to_its_minor_unit(api: Api) -> None:
    api.patch("/settings", {"currency": "EUR"})
    created = api.post("/hourly-rates", {"name": "Workshop", "code": "LAB-1", "price_per_hour": 85.456})
    assert created.status == 201, created.body
    rate = created.json()
    assert rate["id"].startswith("rate_")
    assert created.headers["Location"] == f"/hourly-rates/{rate['id']}"
    assert (rate["price_per_hour"], rate["currency"], rate["active"], rate["version"]) == (
        85.46,
        "EUR",
        True,
        1,
    )
    assert api.get(f"/hourly-rates/{rate['id']}").json() == rate
    assert catalogue.require_rate(api.account, rate["id"], "body.rate_id") == {
        "id": rate["id"],
        "name": "Workshop",
        "code": "LAB-1",
        "price_per_hour": 85.46,
        "currency": "EUR",
    }
    api.patch("/settings", {"currency": "JPY"})
    yen = api.post("/hourly-rates", {"name": "Tokyo", "price_per_hour": 5000.4}).json()
    assert (yen["price_per_hour"], yen["currency"]) == (5000.0, "JPY")
    too_small = api.post("/hourly-rates", {"name": "Tiny", "price_per_hour": 0.4})
    assert refusal(too_small) == (422, "below_minor_unit", ["body.price_per_hour"])
    for price in (0, -5, 1_000_001, "10"):
        response = api.post("/hourly-rates", {"name": "Bad", "price_per_hour": price})
        assert refusal(response)[0::2] == (422, ["body.price_per_hour"])


def test_rates_change_retire_and_go(api: Api, other_api: Api) -> None:
    api.patch("/settings", {"currency": "EUR"})
    rate = api.post("/hourly-rates", {"name": "Field", "code": "F", "price_per_hour": 90}).json()
    path = f"/hourly-rates/{rate['id']}"
    changed = api.patch(
        path, {"price_per_hour": 95.5, "code": None, "active": False}, headers={"If-Match": '"1"'}
    )
    assert changed.status == 200, changed.body
    assert {k: changed.json()[k] for k in ("price_per_hour", "code", "active", "version")} == {
        "price_per_hour": 95.5,
        "code": None,
        "active": False,
        "version": 2,
    }
    assert api.patch(path, {"name": "Late"}, headers={"If-Match": '"1"'}).status == 412
    with pytest.raises(Invalid) as retired:
        catalogue.require_rate(api.account, rate["id"], "body.lines.0.rate_id")
    assert retired.value.code == "rate_inactive"
    assert other_api.get(path).status == 404
    assert other_api.patch(path, {"name": "Mine"}).status == 404
    assert other_api.delete(path).status == 404
    assert api.delete(path).status == 204
    assert refusal(api.get(path))[:2] == (404, "not_found")
    with pytest.raises(NotFound) as gone:
        catalogue.require_rate(api.account, rate["id"], "body.lines.0.rate_id")
    assert gone.value.issues[0].field == "body.lines.0.rate_id"
    assert api.get("/hourly-rates/rate_nonsense").status == 404


def test_rates_are_listed_in_pages_and_by_activity(api: Api, other_api: Api) -> None:
    api.patch("/settings", {"currency": "EUR"})
    ids = [
        api.post("/hourly-rates", {"name": f"R{n}", "price_per_hour": 50 + n, "active": n != 1}).json()["id"]
        for n in range(3)
    ]
    first = api.get("/hourly-rates?limit=2").json()
    second = api.get(f"/hourly-rates?limit=2&next={first['next']}").json()
    assert [r["id"] for r in first["items"] + second["items"]] == ids
    assert second["next"] is None
    assert [r["id"] for r in api.get("/hourly-rates?active=false").json()["items"]] == [ids[1]]
    assert other_api.get("/hourly-rates").json()["items"] == []
    assert refusal(other_api.get(f"/hourly-rates?limit=2&next={first['next']}"))[:2] == (
        422,
        "invalid_cursor",
    )


# Sites

ADDRESS = {
    "line1": "Hafenstrasse 4",
    "city": "Hamburg",
    "postal_code": "20457",
    "country": "DE",
    "type": "delivery",
}


def test_a_site_is_made_read_and_copied_for_an_order(api: Api) -> None:
    created = api.post("/sites", {"name": "Port depot", "number": "D-7", "kind": "depot", "address": ADDRESS})
    assert created.status == 201, created.body
    site = created.json()
    assert site["id"].startswith("sit_")
    assert created.headers["Location"] == f"/sites/{site['id']}"
    assert site["address"] == {"line2": None, "line3": None, "line4": None, "region": None, **ADDRESS}
    assert api.get(f"/sites/{site['id']}").json() == site
    assert catalogue.require_site(api.account, site["id"], "body.depot_id") == {
        "id": site["id"],
        "name": "Port depot",
        "number": "D-7",
        "kind": "depot",
        "address": ADDRESS,
    }
    bare = api.post("/sites", {"name": "Customer yard"}).json()
    assert (bare["kind"], bare["number"], bare["address"]) == ("customer", None, None)


@pytest.mark.parametrize("country", ["XX", "de", "DEU", ""])
def test_a_site_country_is_an_iso_code(api: Api, country: str) -> None:
    response = api.post("/sites", {"name": "Somewhere", "address": {"country": country}})
    assert refusal(response)[0::2] == (422, ["body.address.country"])


def test_sites_change_and_go(api: Api, other_api: Api) -> None:
    site = api.post("/sites", {"name": "Farm", "number": "C-1", "address": ADDRESS}).json()
    path = f"/sites/{site['id']}"
    changed = api.patch(path, {"number": None, "address": {"city": "Kiel", "country": "DE"}}).json()
    assert (changed["number"], changed["address"]["city"], changed["address"]["line1"]) == (
        None,
        "Kiel",
        None,
    )
    assert changed["version"] == 2
    assert api.patch(path, {"kind": "depot"}, headers={"If-Match": '"1"'}).status == 412
    assert api.patch(path, {"name": None}).status == 422
    assert other_api.get(path).status == 404
    assert other_api.patch(path, {"name": "Mine"}).status == 404
    assert other_api.delete(path).status == 404
    with pytest.raises(NotFound) as foreign:
        catalogue.require_site(other_api.account, site["id"], "body.site_id")
    assert foreign.value.issues[0].field == "body.site_id"
    assert api.delete(path, headers={"If-Match": '"2"'}).status == 204
    assert api.get(path).status == 404


def test_sites_are_listed_in_pages_and_by_kind(api: Api, other_api: Api) -> None:
    ids = [
        api.post("/sites", {"name": f"S{n}", "kind": "depot" if n == 2 else "customer"}).json()["id"]
        for n in range(3)
    ]
    first = api.get("/sites?limit=2").json()
    second = api.get(f"/sites?limit=2&next={first['next']}").json()
    assert [s["id"] for s in first["items"] + second["items"]] == ids
    assert [s["id"] for s in api.get("/sites?kind=depot").json()["items"]] == [ids[2]]
    assert other_api.get("/sites").json()["items"] == []
