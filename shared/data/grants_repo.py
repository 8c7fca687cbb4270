"""Data access for providers' grants and links (G1-G4 in docs/data-model.md).

A grant is the asset owner's item ``GRANT#<asset>#<provider>``; a counter item ``GRANTS#<asset>``
holds an asset to MAX_PROVIDERS grants; the provider's link ``SEES#<asset>`` in its own partition
names the owner, and is what every read of the provider starts from. A grant and its link are
written together, in one transaction with the counter; a revoked one keeps its place (and its
count) with ``revoked_at`` until it is removed for good.
"""

from typing import Any

from botocore.exceptions import ClientError

from shared.data import keys, plan_keys
from shared.data.catalogue_repo import Moved
from shared.data.dynamo import TABLE_NAME, client, error_code, from_item, get_items, key, to_item, to_values
from shared.data.pages import PageResult, query_page

MAX_PROVIDERS = 5


class TooMany(Exception):
    """The asset has MAX_PROVIDERS grants already."""


def grants_page(owner: str, asset_id: str | None, limit: int, cursor: str | None) -> PageResult:
    """The owner's grants by asset, then provider (G2)."""
    pk = keys.account_pk(owner)
    prefix = plan_keys.asset_grants_prefix(asset_id) if asset_id else plan_keys.GRANTS
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values({":pk": pk, ":prefix": prefix}),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
    )


def grant_item(owner: str, asset_id: str, provider: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.account_pk(owner),
        "SK": plan_keys.grant_sk(asset_id, provider),
        "entity": "grant",
        **fields,
    }


def link_item(owner: str, asset_id: str, provider: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.account_pk(provider),
        "SK": plan_keys.link_sk(asset_id),
        "entity": "link",
        "owner": owner,
        "asset_id": asset_id,
        **fields,
    }


def _condition(seen: int | None) -> dict[str, Any]:
    if seen is None:
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    return {
        "ConditionExpression": "version = :seen",
        "ExpressionAttributeValues": {":seen": {"N": str(seen)}},
    }


def write(grant: dict[str, Any], link: dict[str, Any], seen: int | None, counted: bool) -> None:
    """Store a grant and its link as the next version of what was read (``seen`` None: new);
    a new one is counted against the asset's providers in the same transaction. ``Moved`` if
    either changed meanwhile, ``TooMany`` if the asset has its providers already."""
    parts: list[Any] = [
        {"Put": {"TableName": TABLE_NAME, "Item": to_item(grant), **_condition(seen)}},
        {"Put": {"TableName": TABLE_NAME, "Item": to_item(link)}},
    ]
    if counted:
        parts.append(
            {
                "Update": {
                    "TableName": TABLE_NAME,
                    "Key": key(grant["PK"], plan_keys.grant_counter_sk(grant["asset_id"])),
                    "UpdateExpression": "ADD grants :one",
                    "ConditionExpression": "attribute_not_exists(grants) OR grants < :most",
                    "ExpressionAttributeValues": to_values({":one": 1, ":most": MAX_PROVIDERS}),
                }
            }
        )
    try:
        client.transact_write_items(TransactItems=parts)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
        if (
            counted
            and len(reasons) == 3
            and reasons[2] == "ConditionalCheckFailed"
            and reasons[0] != "ConditionalCheckFailed"
        ):
            raise TooMany from None
        raise Moved(None) from None


def get_link(provider: str, asset_id: str) -> dict[str, Any] | None:
    found = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(provider), plan_keys.link_sk(asset_id)),
        ConsistentRead=True,
    ).get("Item")
    return from_item(found) if found else None


def links_page(provider: str, owner: str | None, limit: int, cursor: str | None) -> PageResult:
    """The provider's links by asset (G3), those in force only (and of one owner if given)."""
    pk = keys.account_pk(provider)
    values: dict[str, Any] = {":pk": pk, ":prefix": plan_keys.LINK}
    filters = ["attribute_not_exists(revoked_at)"]
    if owner is not None:
        filters.append("#owner = :owner")
        values[":owner"] = owner
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values(values),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        filter_expression=" AND ".join(filters),
        names={"#owner": "owner"} if owner is not None else None,
    )


def linked_assets(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assets the links name, in their owners' partitions (one BatchGetItem per 100)."""
    wanted = [key(keys.account_pk(link["owner"]), keys.asset_sk(link["asset_id"])) for link in links]
    found = {(item["PK"], item["SK"]): item for item in get_items(wanted, consistent=False)}
    return [found[(k["PK"]["S"], k["SK"]["S"])] for k in wanted if (k["PK"]["S"], k["SK"]["S"]) in found]


def get_grant(owner: str, asset_id: str, provider: str) -> dict[str, Any] | None:
    found = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(owner), plan_keys.grant_sk(asset_id, provider)),
        ConsistentRead=True,
    ).get("Item")
    return from_item(found) if found else None
