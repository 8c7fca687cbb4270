"""Providers: an asset owner lets another account see some of its assets, takes them back, and
what the provider sees (docs/plans.md, "Providers")."""

import uuid
from collections.abc import Sequence
from typing import Any

from tests.api.test_plans import refusal
from tests.conftest import Api, stored_items


def grant(owner: Api, provider: Api, add: Sequence[str] = (), remove: Sequence[str] = ()) -> dict[str, Any]:
    response = owner.put(f"/providers/{provider.account}/assets", {"add": list(add), "remove": list(remove)})
    assert response.status == 200, response.body
    return response.json()


def provided(provider: Api, query: str = "") -> list[str]:
    response = provider.get(f"/provided-assets{query}")
    assert response.status == 200, response.body
    return [asset["asset_id"] for asset in response.json()["items"]]


def test_a_provider_sees_the_assets_it_was_granted_and_nothing_else(api: Api, other_api: Api) -> None:
    shown, hidden = api.create_asset(name="Excavator"), api.create_asset(name="Private car")
    outcome = grant(api, other_api, add=[shown["id"]])
    assert (outcome["provider_account_id"], outcome["succeeded"]) == (other_api.account, 1)
    assert outcome["results"][0]["status"] == 201
    assert provided(other_api) == [shown["id"]]
    read = other_api.get(f"/provided-assets/{shown['id']}")
    assert read.status == 200 and read.json()["customer_account_id"] == api.account
    assert read.json()["name"] == "Excavator"
    assert other_api.get(f"/provided-assets/{hidden['id']}").status == 404
    assert other_api.get(f"/assets/{shown['id']}").status == 404  # the owner's own routes stay the owner's
    stranger = api.as_(account=f"acct-{uuid.uuid4().hex[:12]}")
    assert stranger.get(f"/provided-assets/{shown['id']}").status == 404
    (listed,) = api.get(f"/providers?asset_id={shown['id']}").json()["items"]
    assert (listed["provider_account_id"], listed["revoked_at"]) == (other_api.account, None)


def test_taking_an_asset_back_hides_it_at_once_and_giving_it_again_restores_it(
    api: Api, other_api: Api
) -> None:
    asset = api.create_asset(name="Excavator")
    grant(api, other_api, add=[asset["id"]])
    taken = grant(api, other_api, remove=[asset["id"]])
    assert taken["results"][0]["status"] == 200
    assert other_api.get(f"/provided-assets/{asset['id']}").status == 404
    assert provided(other_api) == []
    (listed,) = api.get("/providers").json()["items"]
    revoked_at = listed["revoked_at"]
    assert revoked_at is not None
    grant(api, other_api, remove=[asset["id"]])  # again: the first time counts
    assert api.get("/providers").json()["items"][0]["revoked_at"] == revoked_at
    again = grant(api, other_api, add=[asset["id"]])
    assert again["results"][0]["status"] == 200
    assert provided(other_api) == [asset["id"]]
    assert api.get("/providers").json()["items"][0]["revoked_at"] is None


def test_an_asset_has_at_most_five_providers(api: Api) -> None:
    asset = api.create_asset(name="Excavator")
    providers = [api.as_(account=f"acct-{uuid.uuid4().hex[:12]}") for _ in range(6)]
    for provider in providers[:5]:
        grant(api, provider, add=[asset["id"]])
    sixth = grant(api, providers[5], add=[asset["id"]])["results"][0]
    assert (sixth["status"], sixth["error"]["code"], sixth["error"]["field"]) == (
        409,
        "too_many_providers",
        "body.add.0",
    )
    assert providers[5].get(f"/provided-assets/{asset['id']}").status == 404


def test_entries_are_answered_each_and_bad_requests_refused_whole(api: Api, other_api: Api) -> None:
    mine = api.create_asset(name="Excavator")
    theirs = other_api.create_asset(name="Their truck")
    third = api.as_(account=f"acct-{uuid.uuid4().hex[:12]}")
    before = stored_items(other_api.account)
    outcome = grant(api, third, add=[mine["id"], theirs["id"]], remove=[api.create_asset(name="Never")["id"]])
    answers = [(r["operation"], r["status"], (r["error"] or {}).get("field")) for r in outcome["results"]]
    assert answers == [("add", 201, None), ("add", 404, "body.add.1"), ("remove", 404, "body.remove.0")]
    assert stored_items(other_api.account) == before
    assert provided(third) == [mine["id"]]
    assert refusal(api.put(f"/providers/{api.account}/assets", {"add": [mine["id"]]})) == (
        422,
        "own_account",
        ["path.account_id"],
    )
    assert refusal(api.put(f"/providers/{third.account}/assets", {"add": [mine["id"]] * 2}))[:2] == (
        422,
        "duplicate_item",
    )
    assert api.put("/providers/not%20an%20account/assets", {"add": [mine["id"]]}).status == 404


def test_a_provider_lists_one_customer_at_a_time(api: Api, other_api: Api) -> None:
    provider = api.as_(account=f"acct-{uuid.uuid4().hex[:12]}")
    first, second = api.create_asset(name="A"), other_api.create_asset(name="B")
    grant(api, provider, add=[first["id"]])
    grant(other_api, provider, add=[second["id"]])
    assert sorted(provided(provider)) == sorted([first["id"], second["id"]])
    assert provided(provider, f"?customer_id={other_api.account}") == [second["id"]]
    page = provider.get("/provided-assets?limit=1").json()
    rest = provider.get(f"/provided-assets?limit=1&next={page['next']}").json()
    assert {page["items"][0]["asset_id"], rest["items"][0]["asset_id"]} == {first["id"], second["id"]}
