"""Data access for service networks (NW1-NW6 in docs/data-model.md).

A network is its owner's item ``NET#<id>`` with counts of its members; its members, providers
and plans, are the items of a partition of its own (``NETWORK#<id>``); each member provider has
a membership item ``NET#<id>#MEMBER`` in its own partition (what its reads start from), and each
member plan names its networks (``network_ids``), so whether a caller may use a plan through a
network is one BatchGetItem of the caller's memberships. A member joins or leaves in one
transaction with the network's count (and the plan or the membership).
"""

from typing import Any

from botocore.exceptions import ClientError

from shared.data import keys, plan_keys
from shared.data.catalogue_repo import Moved
from shared.data.dynamo import (
    TABLE_NAME,
    cancellation_codes,
    client,
    error_code,
    get_items,
    get_one,
    key,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, all_under, prefix_page

MOST_MEMBERS = 500  # providers, and plans, of one network


class Full(Exception):
    """The network has MOST_MEMBERS of that kind already."""


def network_item(owner: str, network_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.account_pk(owner),
        "SK": plan_keys.network_sk(network_id),
        "entity": "network",
        "id": network_id,
        "owner": owner,
        **fields,
    }


def put_new(item: dict[str, Any]) -> None:
    client.put_item(TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")


def of_caller(caller: str, network_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The network if the caller owns it, and the caller's membership of it (one BatchGetItem)."""
    pk = keys.account_pk(caller)
    found = {
        item["SK"]: item
        for item in get_items(
            [key(pk, plan_keys.network_sk(network_id)), key(pk, plan_keys.membership_sk(network_id))]
        )
    }
    return found.get(plan_keys.network_sk(network_id)), found.get(plan_keys.membership_sk(network_id))


def get(owner: str, network_id: str) -> dict[str, Any] | None:
    return get_one(keys.account_pk(owner), plan_keys.network_sk(network_id))


def caller_page(caller: str, limit: int, cursor: str | None) -> PageResult:
    """The networks the caller owns and those it is a member of, by network id (NW2)."""
    return prefix_page(keys.account_pk(caller), plan_keys.NETWORKS, limit, cursor)


def members(network_id: str) -> list[dict[str, Any]]:
    """Every member item of the network (at most 2 x MOST_MEMBERS), providers then plans."""
    return all_under(plan_keys.network_pk(network_id), "")


def plans_page(network_id: str, limit: int, cursor: str | None) -> PageResult:
    """The network's plans (their member items), by plan id (NW5)."""
    return prefix_page(plan_keys.network_pk(network_id), plan_keys.MEMBER_PLAN, limit, cursor)


def member_of(caller: str, network_ids: list[str]) -> bool:
    """Whether the caller is a member provider of any of these networks."""
    pk = keys.account_pk(caller)
    return bool(get_items([key(pk, plan_keys.membership_sk(n)) for n in dict.fromkeys(network_ids)]))


def _count(network: dict[str, Any], kind: str, delta: int) -> dict[str, Any]:
    condition = "#version = :seen"
    values: dict[str, Any] = {":delta": delta, ":seen": int(network["version"]), ":one": 1}
    if delta > 0:
        condition += f" AND (attribute_not_exists({kind}) OR {kind} < :most)"
        values[":most"] = MOST_MEMBERS
    return {
        "Update": {
            "TableName": TABLE_NAME,
            "Key": key(network["PK"], network["SK"]),
            "UpdateExpression": f"ADD {kind} :delta, #version :one",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": to_values(values),
        }
    }


def _run(parts: list[Any], counter_at: int) -> None:
    """Run a membership transaction; ``Moved`` if anything changed meanwhile, ``Full`` if the
    network's count (part ``counter_at``) refused and nothing else did."""
    try:
        client.transact_write_items(TransactItems=parts)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        codes = cancellation_codes(error)
        failed = [i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"]
        if failed == [counter_at]:
            raise Full from None
        raise Moved(None) from None


def _new(item: dict[str, Any]) -> dict[str, Any]:
    return {"Put": {"TableName": TABLE_NAME, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}


def _gone(member: dict[str, Any]) -> dict[str, Any]:
    return {"Delete": {"TableName": TABLE_NAME, "Key": member, "ConditionExpression": "attribute_exists(PK)"}}


def get_member(network_id: str, kind: str, member_id: str) -> dict[str, Any] | None:
    return get_one(plan_keys.network_pk(network_id), f"{kind}{member_id}")


def _member_key(network_id: str, sk: str) -> dict[str, Any]:
    return key(plan_keys.network_pk(network_id), sk)


def join_provider(network: dict[str, Any], provider: str, now_iso: str) -> None:
    member = {"PK": plan_keys.network_pk(network["id"]), "SK": f"{plan_keys.MEMBER_PROVIDER}{provider}"}
    membership = {
        "PK": keys.account_pk(provider),
        "SK": plan_keys.membership_sk(network["id"]),
        "entity": "membership",
        "id": network["id"],
        "owner": network["owner"],
        "name": network["name"],
        "joined_at": now_iso,
    }
    parts = [
        _new(to_item({**member, "provider": provider, "joined_at": now_iso})),
        {"Put": {"TableName": TABLE_NAME, "Item": to_item(membership)}},
        _count(network, "providers", 1),
    ]
    _run(parts, 2)


def leave_provider(network: dict[str, Any], provider: str) -> None:
    parts = [
        _gone(_member_key(network["id"], f"{plan_keys.MEMBER_PROVIDER}{provider}")),
        {
            "Delete": {
                "TableName": TABLE_NAME,
                "Key": key(keys.account_pk(provider), plan_keys.membership_sk(network["id"])),
            }
        },
        _count(network, "providers", -1),
    ]
    _run(parts, 2)


def _plan_networks(plan: dict[str, Any], network_ids: list[str]) -> dict[str, Any]:
    seen = int(plan["version"])
    return {
        "Update": {
            "TableName": TABLE_NAME,
            "Key": key(plan["PK"], plan["SK"]),
            "UpdateExpression": "SET network_ids = :ids, #version = :next",
            "ConditionExpression": "#version = :seen",
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": to_values({":ids": network_ids, ":seen": seen, ":next": seen + 1}),
        }
    }


def join_plan(network: dict[str, Any], plan: dict[str, Any], now_iso: str) -> None:
    member = {
        "PK": plan_keys.network_pk(network["id"]),
        "SK": f"{plan_keys.MEMBER_PLAN}{plan['id']}",
        "plan_id": plan["id"],
        "joined_at": now_iso,
    }
    ids = sorted({*(plan.get("network_ids") or []), network["id"]})
    parts = [
        _new(to_item(member)),
        _plan_networks(plan, ids),
        _count(network, "plans", 1),
    ]
    _run(parts, 2)


def leave_plan(network: dict[str, Any], plan: dict[str, Any]) -> None:
    ids = [n for n in plan.get("network_ids") or [] if n != network["id"]]
    parts = [
        _gone(_member_key(network["id"], f"{plan_keys.MEMBER_PLAN}{plan['id']}")),
        _plan_networks(plan, ids),
        _count(network, "plans", -1),
    ]
    _run(parts, 2)


def delete_empty(network: dict[str, Any]) -> bool:
    """Delete a network without members, on the version read; False if it has some now."""
    try:
        client.delete_item(
            TableName=TABLE_NAME,
            Key=key(network["PK"], network["SK"]),
            ConditionExpression="#version = :seen AND (attribute_not_exists(providers) OR providers = :zero) "
            "AND (attribute_not_exists(plans) OR plans = :zero)",
            ExpressionAttributeNames={"#version": "version"},
            ExpressionAttributeValues=to_values({":seen": int(network["version"]), ":zero": 0}),
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        raise
    return True
