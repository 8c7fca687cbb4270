"""Data access for service plans (P1-P4 in docs/data-model.md).

A plan has a partition of its own: the plan (``#PLAN``, with its current revision and its owner)
and the revisions it had before (``REV#<n>``), each written in the transaction that replaced it.
Its owner's plans are in GSI3; a plan published for a brand and model is also in GSI1. Who may
see a plan is the services' decision (shared/services/plan_access.py), from its owner and the
caller's relations. Writes are conditioned on the version read (``Moved``).
"""

from typing import Any

from botocore.exceptions import ClientError

from shared.data import plan_keys
from shared.data.catalogue_repo import Moved
from shared.data.dynamo import (
    TABLE_NAME,
    client,
    error_code,
    from_item,
    get_items,
    key,
    on_version,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_page

__all__ = [
    "Moved",
    "delete",
    "get",
    "get_many",
    "get_revision",
    "mark_used",
    "new_item",
    "own_page",
    "public_page",
    "put",
    "revision_item",
    "services_at",
    "with_listing",
]


def new_item(owner: str, plan_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new plan as stored, with its keys (P1, P2)."""
    return {
        "PK": plan_keys.plan_pk(plan_id),
        "SK": plan_keys.PLAN_SK,
        "GSI3PK": plan_keys.own_plans_gsi3pk(owner),
        "GSI3SK": plan_id,
        "entity": "plan",
        "id": plan_id,
        "owner": owner,
        **fields,
    }


def with_listing(item: dict[str, Any], listing: dict[str, str] | None) -> dict[str, Any]:
    """The plan published for ``listing``'s brand and model (P3), or not published (None)."""
    out = {name: value for name, value in item.items() if name != "GSI1PK"}
    out["public"] = listing
    if listing is not None:
        out["GSI1PK"] = plan_keys.public_plans_gsi1pk(listing["brand"], listing["model"])
    return out


def revision_item(plan: dict[str, Any], superseded_at: str) -> dict[str, Any]:
    """The plan's current revision as kept once a new one replaces it (P5)."""
    return {
        "PK": plan["PK"],
        "SK": plan_keys.plan_revision_sk(int(plan["revision"])),
        "entity": "plan_revision",
        "plan_id": plan["id"],
        "revision": int(plan["revision"]),
        "name": plan["name"],
        "planned_services": plan["planned_services"],
        "created_at": plan.get("revision_at", plan["created_at"]),
        "superseded_at": superseded_at,
    }


def _get(pk: str, sk: str) -> dict[str, Any] | None:
    item = client.get_item(TableName=TABLE_NAME, Key=key(pk, sk), ConsistentRead=True).get("Item")
    return from_item(item) if item else None


def get(plan_id: str) -> dict[str, Any] | None:
    return _get(plan_keys.plan_pk(plan_id), plan_keys.PLAN_SK)


def get_revision(plan_id: str, revision: int) -> dict[str, Any] | None:
    return _get(plan_keys.plan_pk(plan_id), plan_keys.plan_revision_sk(revision))


def services_at(plan: dict[str, Any], revision: int) -> list[dict[str, Any]] | None:
    """The planned services of one revision of the plan (None: the plan never had it)."""
    if revision == int(plan["revision"]):
        return list(plan["planned_services"])
    stored = get_revision(plan["id"], revision) if 0 < revision < int(plan["revision"]) else None
    return list(stored["planned_services"]) if stored else None


def put(item: dict[str, Any], seen: int | None, superseded: dict[str, Any] | None = None) -> None:
    """Store the plan whole as the next version of what was read (``seen`` None: a new plan) and,
    when it is a new revision, the revision it replaces (``superseded``) in the same transaction;
    ``Moved`` if the plan changed meanwhile."""
    try:
        if superseded is None:
            client.put_item(TableName=TABLE_NAME, Item=to_item(item), **on_version(seen))
            return
        put: Any = {"TableName": TABLE_NAME, "Item": to_item(item), **on_version(seen)}
        client.transact_write_items(
            TransactItems=[
                {"Put": put},
                {
                    "Put": {
                        "TableName": TABLE_NAME,
                        "Item": to_item(superseded),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
    except ClientError as error:
        if error_code(error) in ("ConditionalCheckFailedException", "TransactionCanceledException"):
            raise Moved(None) from None
        raise


def delete(plan_id: str, seen: int) -> None:
    """Delete the plan (its revisions stay for the assignments that keep them)."""
    try:
        client.delete_item(
            TableName=TABLE_NAME, Key=key(plan_keys.plan_pk(plan_id), plan_keys.PLAN_SK), **on_version(seen)
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise Moved(None) from None
        raise


def own_page(owner: str, limit: int, cursor: str | None) -> PageResult:
    """The owner's plans, oldest first (ids are time-ordered) (P2)."""
    gsi3pk = plan_keys.own_plans_gsi3pk(owner)
    return query_page(
        key_condition="GSI3PK = :pk",
        values=to_values({":pk": gsi3pk}),
        partition={"GSI3PK": gsi3pk},
        limit=limit,
        cursor=cursor,
        index="GSI3",
    )


def public_page(brand: str, model: str, limit: int, cursor: str | None) -> PageResult:
    """Plans published for a brand and model (P3): the index holds their keys, the plans are
    read whole after."""
    gsi1pk = plan_keys.public_plans_gsi1pk(brand, model)
    page = query_page(
        key_condition="GSI1PK = :pk",
        values=to_values({":pk": gsi1pk}),
        partition={"GSI1PK": gsi1pk},
        limit=limit,
        cursor=cursor,
        index="GSI1",
    )
    found = {
        (item["PK"], item["SK"]): item for item in get_items([key(i["PK"], i["SK"]) for i in page.items])
    }
    return PageResult([found[k] for i in page.items if (k := (i["PK"], i["SK"])) in found], page.next)


def mark_used(plan_id: str, seen: int) -> None:
    """Mark the plan's current revision assigned, on the version read (``Moved`` if it changed:
    a change made meanwhile must be read before the revision is handed out)."""
    try:
        client.update_item(
            TableName=TABLE_NAME,
            Key=key(plan_keys.plan_pk(plan_id), plan_keys.PLAN_SK),
            UpdateExpression="SET used = :yes, #version = :next",
            ConditionExpression="#version = :seen",
            ExpressionAttributeNames={"#version": "version"},
            ExpressionAttributeValues=to_values({":yes": True, ":seen": seen, ":next": seen + 1}),
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise Moved(None) from None
        raise


def get_many(plan_ids: set[str]) -> list[dict[str, Any]]:
    """The plans of these ids that exist (one BatchGetItem per 100; eventually consistent)."""
    return get_items(
        [key(plan_keys.plan_pk(plan_id), plan_keys.PLAN_SK) for plan_id in sorted(plan_ids)], consistent=False
    )
