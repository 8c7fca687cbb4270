"""Idempotency-Key: a retried write returns the first result and writes nothing twice."""

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import Api


def test_a_retried_create_returns_the_first_asset_and_creates_one(api: Api) -> None:
    key = {"Idempotency-Key": "create-truck-1"}
    first = api.post("/assets", {"name": "Truck"}, headers=key)
    retry = api.post("/assets", {"name": "Truck"}, headers=key)
    assert (first.status, retry.status) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert len(api.get("/assets").json()["items"]) == 1


def test_concurrent_retries_create_one_asset(api: Api) -> None:
    key = {"Idempotency-Key": "burst"}
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _n: api.post("/assets", {"name": "Once"}, headers=key), range(6)))
    created = {r.json()["id"] for r in responses if r.status == 201}
    assert len(created) == 1
    assert all(r.status in (201, 409) for r in responses)
    assert len(api.get("/assets").json()["items"]) == 1


def test_the_same_key_for_a_different_request_is_refused(api: Api) -> None:
    key = {"Idempotency-Key": "k1"}
    api.post("/assets", {"name": "One"}, headers=key)
    response = api.post("/assets", {"name": "Two"}, headers=key)
    assert response.status == 422
    error = response.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == (
        "idempotency_key_reused",
        "header.Idempotency-Key",
    )


def test_keys_belong_to_one_account(api: Api, other_api: Api) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = api.post("/assets", {"name": "Same"}, headers=key).json()
    theirs = other_api.post("/assets", {"name": "Same"}, headers=key).json()
    assert mine["id"] != theirs["id"]


def test_a_failed_request_does_not_use_up_the_key(api: Api) -> None:
    api.create_asset(external_id="DUP")
    key = {"Idempotency-Key": "after-conflict"}
    assert api.post("/assets", {"name": "X", "external_id": "DUP"}, headers=key).status == 409
    api.delete(f"/assets/{api.get('/assets?external_id=DUP').json()['items'][0]['id']}")
    assert api.post("/assets", {"name": "X", "external_id": "DUP"}, headers=key).status == 201


def test_a_retried_reading_is_recorded_once(api: Api) -> None:
    truck = api.create_asset()
    key = {"Idempotency-Key": "reading-42"}
    body = {"time": "2026-01-05T10:00:00Z", "odometer_km": 42}
    first = api.post(f"/assets/{truck['id']}/readings", body, headers=key)
    again = api.post(f"/assets/{truck['id']}/readings", body, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert len(api.get(f"/assets/{truck['id']}/readings").json()["items"]) == 1


def test_an_unprintable_or_overlong_key_is_422(api: Api) -> None:
    for bad in ("x" * 300, "tab\there"):
        response = api.post("/assets", {"name": "X"}, headers={"Idempotency-Key": bad})
        assert response.status == 422
    assert api.get("/assets").json()["items"] == []


def test_a_retry_after_the_created_item_was_deleted_gets_the_first_answer_and_creates_nothing(
    api: Api,
) -> None:
    """A retry is the same request again, not a new one: it does not bring a deleted site back
    (the fuzz run of seed 1473028095 took this for a create whose resource cannot be found)."""
    key = {"Idempotency-Key": "site-1"}
    first = api.post("/sites", {"name": "B\U0001f3fb"}, headers=key)
    assert api.delete(f"/sites/{first.json()['id']}").status == 204
    retry = api.post("/sites", {"name": "B\U0001f3fb"}, headers=key)
    assert (retry.status, retry.headers.get("Idempotent-Replayed")) == (201, "true")
    assert retry.json() == first.json()
    assert api.get(f"/sites/{first.json()['id']}").status == 404
    assert api.get("/sites").json()["items"] == []
