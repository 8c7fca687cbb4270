"""Assets through the local API: create, read, update, delete, list, search and page."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import Api


def error_fields(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [detail["field"] for detail in response.json()["error"]["details"]]


def test_create_returns_the_asset_with_default_meters_location_and_version(api: Api) -> None:
    response = api.post(
        "/assets",
        {
            "name": "Truck 7",
            "type": "vehicle",
            "brand": "Volvo",
            "model": "FH16",
            "serial_number": "YV2RT40A5KB1",
            "production_year": 2021,
            "external_id": "T7",
        },
    )
    assert response.status == 201
    asset = response.json()
    assert asset["id"].startswith("ast_")
    assert response.headers["Location"] == f"/assets/{asset['id']}"
    assert response.headers["ETag"] == '"1"'
    assert asset["version"] == 1
    assert asset["meters"] == ["odometer"]
    assert asset["current"] == {"at": None, "odometer_km": None, "hours": None}
    assert api.get(f"/assets/{asset['id']}").json() == asset


@pytest.mark.parametrize(
    ("asset_type", "meters"),
    [
        ("vehicle", ["odometer"]),
        ("machine", ["hours"]),
        ("equipment", []),
        ("accessory", []),
    ],
)
def test_each_type_has_sensible_default_meters(api: Api, asset_type: str, meters: list[str]) -> None:
    assert api.create_asset(type=asset_type)["meters"] == meters


def test_meters_can_be_chosen_explicitly(api: Api) -> None:
    asset = api.create_asset(type="vehicle", meters=["hours", "odometer"])
    assert sorted(asset["meters"]) == ["hours", "odometer"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.name"),
        ({"name": ""}, "body.name"),
        ({"name": "x", "type": "spaceship"}, "body.type"),
        ({"name": "x", "production_year": 1700}, "body.production_year"),
        ({"name": "x", "meters": ["fuel"]}, "body.meters.0"),
        ({"name": "x", "colour": "red"}, "body.colour"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(api: Api, body: dict, field: str) -> None:
    response = api.post("/assets", body)
    assert response.status == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in error_fields(response)


def test_external_id_is_unique_per_account_but_not_across_accounts(api: Api, other_api: Api) -> None:
    api.create_asset(external_id="FLEET-1")
    duplicate = api.post("/assets", {"name": "Other", "external_id": "FLEET-1"})
    assert duplicate.status == 409
    assert duplicate.json()["error"]["code"] == "duplicate_external_id"
    assert error_fields(duplicate) == ["body.external_id"]
    assert other_api.post("/assets", {"name": "Theirs", "external_id": "FLEET-1"}).status == 201


def test_partial_update_changes_only_the_fields_sent_and_bumps_the_version(api: Api) -> None:
    asset = api.create_asset(brand="Volvo", model="FH16")
    response = api.patch(f"/assets/{asset['id']}", {"name": "Renamed", "model": None})
    assert response.status == 200
    updated = response.json()
    assert (updated["name"], updated["brand"], updated["model"]) == ("Renamed", "Volvo", None)
    assert updated["version"] == 2
    assert updated["created_at"] == asset["created_at"]
    assert api.get(f"/assets/{asset['id']}").json() == updated


def test_an_update_must_change_something_and_cannot_null_a_required_field(api: Api) -> None:
    asset = api.create_asset()
    assert api.patch(f"/assets/{asset['id']}", {}).status == 422
    assert api.patch(f"/assets/{asset['id']}", {"name": None}).status == 422


def test_if_match_makes_an_update_conditional(api: Api) -> None:
    asset = api.create_asset()
    path = f"/assets/{asset['id']}"
    assert api.patch(path, {"name": "A"}, headers={"If-Match": '"1"'}).status == 200
    stale = api.patch(path, {"name": "B"}, headers={"If-Match": '"1"'})
    assert stale.status == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert api.get(path).json()["name"] == "A"
    assert api.patch(path, {"name": "B"}, headers={"If-Match": "x"}).status == 400


def test_concurrent_updates_are_all_applied(api: Api) -> None:
    asset = api.create_asset()
    path = f"/assets/{asset['id']}"
    fields = ["brand", "model", "serial_number", "name"]
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda f: api.patch(path, {f: f"value-{f}"}).status, fields))
    assert statuses == [200] * 4
    final = api.get(path).json()
    assert all(final[f] == f"value-{f}" for f in fields)
    assert final["version"] == 5


def test_changing_the_external_id_frees_the_old_one(api: Api) -> None:
    first = api.create_asset(external_id="OLD")
    api.create_asset(name="Taken", external_id="TAKEN")
    path = f"/assets/{first['id']}"
    assert api.patch(path, {"external_id": "TAKEN"}).status == 409
    assert api.patch(path, {"external_id": "NEW"}).json()["external_id"] == "NEW"
    assert api.post("/assets", {"name": "Reuses old", "external_id": "OLD"}).status == 201
    found = api.get("/assets?external_id=NEW").json()["items"]
    assert [a["id"] for a in found] == [first["id"]]


def test_delete_removes_the_asset_and_frees_its_external_id(api: Api) -> None:
    asset = api.create_asset(external_id="GONE")
    path = f"/assets/{asset['id']}"
    response = api.delete(path)
    assert response.status == 204
    assert response.body == ""
    assert api.get(path).status == 404
    assert api.delete(path).status == 404
    assert api.create_asset(external_id="GONE")["external_id"] == "GONE"


def test_delete_honours_if_match(api: Api) -> None:
    asset = api.create_asset()
    path = f"/assets/{asset['id']}"
    assert api.delete(path, headers={"If-Match": '"7"'}).status == 412
    assert api.get(path).status == 200


@pytest.mark.parametrize(
    "asset_id", ["ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7", "nonsense", "tsk_01JDQ8Z6W3K2M5X7Y9A1B3C5D7"]
)
def test_unknown_or_malformed_ids_are_404(api: Api, asset_id: str) -> None:
    response = api.get(f"/assets/{asset_id}")
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"


def test_another_accounts_asset_is_404_and_stays_unchanged(api: Api, other_api: Api) -> None:
    asset = api.create_asset(name="Mine")
    path = f"/assets/{asset['id']}"
    assert other_api.get(path).status == 404
    assert other_api.patch(path, {"name": "Stolen"}).status == 404
    assert other_api.delete(path).status == 404
    assert other_api.get("/assets").json()["items"] == []
    assert api.get(path).json() == asset


def test_a_viewer_can_read_but_not_write(api: Api) -> None:
    asset = api.create_asset()
    viewer = api.as_(role="viewer")
    assert viewer.get(f"/assets/{asset['id']}").status == 200
    refused = viewer.post("/assets", {"name": "No"})
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert viewer.patch(f"/assets/{asset['id']}", {"name": "No"}).status == 403
    assert viewer.delete(f"/assets/{asset['id']}").status == 403
    assert api.as_(role="editor").patch(f"/assets/{asset['id']}", {"name": "Yes"}).status == 200


class TestListing:
    @pytest.fixture
    def fleet(self, api: Api) -> dict[str, dict]:
        specs = {
            "volvo": {
                "name": "Truck Alpha",
                "type": "vehicle",
                "brand": "Volvo",
                "model": "FH16",
                "serial_number": "SER-001",
            },
            "scania": {
                "name": "Truck Beta",
                "type": "vehicle",
                "brand": "Scania",
                "model": "R450",
                "external_id": "ext-beta",
            },
            "linde": {"name": "Forklift", "type": "machine", "brand": "Linde", "model": "H30"},
            "trailer": {"name": "Kühlanhänger Ölfeld", "type": "equipment", "brand": "Schmitz"},
        }
        return {label: api.create_asset(**spec) for label, spec in specs.items()}

    @staticmethod
    def names(api: Api, query: str) -> set[str]:
        response = api.get(f"/assets?{query}")
        assert response.status == 200, response.body
        return {asset["name"] for asset in response.json()["items"]}

    def test_filters(self, api: Api, fleet: dict[str, dict]) -> None:
        assert self.names(api, "") == {a["name"] for a in fleet.values()}
        assert self.names(api, "type=vehicle") == {"Truck Alpha", "Truck Beta"}
        assert self.names(api, "type=vehicle&brand=volvo") == {"Truck Alpha"}
        assert self.names(api, "model=h30") == {"Forklift"}
        assert self.names(api, "external_id=ext-beta") == {"Truck Beta"}
        assert self.names(api, "external_id=ext-beta&type=machine") == set()

    def test_text_search_is_case_insensitive_over_name_serial_and_external_id(
        self, api: Api, fleet: dict[str, dict]
    ) -> None:
        assert self.names(api, "q=truck") == {"Truck Alpha", "Truck Beta"}
        assert self.names(api, "q=ser-00") == {"Truck Alpha"}
        assert self.names(api, "q=EXT-BE") == {"Truck Beta"}
        assert self.names(api, "q=%C3%B6lfeld") == {"Kühlanhänger Ölfeld"}
        assert self.names(api, "q=nothing-like-this") == set()

    def test_bad_query_parameters_are_422(self, api: Api) -> None:
        for query, field in [
            ("limit=0", "query.limit"),
            ("limit=201", "query.limit"),
            ("type=boat", "query.type"),
            ("next=garbage", "query.next"),
            ("colour=red", "query.colour"),
        ]:
            response = api.get(f"/assets?{query}")
            assert response.status == 422, query
            assert field in error_fields(response), query


def test_pagination_walks_every_asset_exactly_once(api: Api) -> None:
    created = {
        api.create_asset(name=f"Asset {n:02}", type="machine" if n % 3 else "vehicle")["id"]
        for n in range(23)
    }
    for query in ("limit=5", "limit=4&type=machine", "limit=3&q=asset"):
        seen: list[str] = []
        cursor = ""
        for _ in range(20):
            page = api.get(f"/assets?{query}{cursor}").json()
            assert len(page["items"]) <= int(query.split("&")[0].split("=")[1])
            seen += [a["id"] for a in page["items"]]
            if not page.get("next"):
                break
            cursor = f"&next={page['next']}"
        assert len(seen) == len(set(seen))
        expected = (
            created
            if "machine" not in query
            else {a["id"] for a in api.get("/assets?type=machine&limit=200").json()["items"]}
        )
        assert set(seen) == expected, query


def test_a_cursor_from_another_account_is_refused(api: Api, other_api: Api) -> None:
    for n in range(3):
        api.create_asset(name=f"A{n}")
    cursor = api.get("/assets?limit=1").json()["next"]
    other_api.create_asset(name="B")
    response = other_api.get(f"/assets?limit=1&next={cursor}")
    assert response.status == 422
    assert error_fields(response) == ["query.next"]
