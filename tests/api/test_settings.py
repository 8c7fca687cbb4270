"""Account settings: the time zone date conditions use, the default currency."""

import pytest

from tests.conftest import Api


def test_an_account_starts_with_utc_and_no_currency(api: Api) -> None:
    settings = api.get("/settings").json()
    assert (settings["time_zone"], settings["currency"], settings["version"]) == ("UTC", None, 0)


def test_settings_change_partially_with_versions(api: Api) -> None:
    first = api.patch("/settings", {"time_zone": "America/Los_Angeles"})
    assert first.status == 200
    assert first.json()["version"] == 1
    second = api.patch("/settings", {"currency": "USD"}, headers={"If-Match": '"1"'}).json()
    assert (second["time_zone"], second["currency"], second["version"]) == ("America/Los_Angeles", "USD", 2)
    assert api.patch("/settings", {"currency": "EUR"}, headers={"If-Match": '"1"'}).status == 412
    assert api.get("/settings").json() == second
    assert api.patch("/settings", {"currency": None}).json()["currency"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "body.time_zone"),
        ({"time_zone": "../../etc/passwd"}, "body.time_zone"),
        ({"currency": "euro"}, "body.currency"),
        ({"time_zone": None}, "body.time_zone"),
        ({}, "body"),
    ],
)
def test_invalid_settings_are_422(api: Api, body: dict, field: str) -> None:
    response = api.patch("/settings", body)
    assert response.status == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_settings_belong_to_one_account(api: Api, other_api: Api) -> None:
    api.patch("/settings", {"time_zone": "Asia/Tokyo"})
    assert other_api.get("/settings").json()["time_zone"] == "UTC"
