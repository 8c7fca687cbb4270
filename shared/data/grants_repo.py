"""Data access for providers' grants and links (G1-G7 in docs/data-model.md).

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
from shared.data.dynamo import (
    TABLE_NAME,
    cancellation_codes,
    client,
    error_code,
    get_items,
    get_one,
    key,
    on_version,
    set_and_remove,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, all_under, prefix_page, query_page
from shared.data.provided_links import MAX_PROVIDERS, link_filter


class TooMany(Exception):
    """The asset has MAX_PROVIDERS grants already."""


class Gone(Exception):
    """The asset was deleted while it was granted."""


def grants_page(owner: str, asset_id: str | None, limit: int, cursor: str | None) -> PageResult:
    """The owner's grants by asset, then provider (G2)."""
    prefix = plan_keys.asset_grants_prefix(asset_id) if asset_id else plan_keys.GRANTS
    return prefix_page(keys.account_pk(owner), prefix, limit, cursor)


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


def _link_part(link: dict[str, Any], new: bool) -> dict[str, Any]:
    """A new link is put whole; one in place keeps its summary (provided_links) and changes only
    what the grant says of it (a field given as None is removed)."""
    if new:
        return {"Put": {"TableName": TABLE_NAME, "Item": to_item(link)}}
    fields = {name: value for name, value in link.items() if name not in ("PK", "SK")}
    expression, names, values = set_and_remove(fields)
    return {
        "Update": {
            "TableName": TABLE_NAME,
            "Key": key(link["PK"], link["SK"]),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_values(values),
        }
    }


def write(grant: dict[str, Any], link: dict[str, Any], seen: int | None) -> None:
    """Store a grant and its link as the next version of what was read (``seen`` None: new, then
    counted against the asset's providers, and only while the asset exists). ``Moved`` if the
    grant changed meanwhile, ``TooMany`` if the asset has its providers already, ``Gone`` if the
    asset was deleted."""
    new = seen is None
    parts: list[Any] = [
        {"Put": {"TableName": TABLE_NAME, "Item": to_item(grant), **on_version(seen)}},
        _link_part(link, new),
    ]
    if new:
        counter = key(grant["PK"], plan_keys.grant_counter_sk(grant["asset_id"]))
        parts += [
            {
                "Update": {
                    "TableName": TABLE_NAME,
                    "Key": counter,
                    "UpdateExpression": "ADD grants :one",
                    "ConditionExpression": "attribute_not_exists(grants) OR grants < :most",
                    "ExpressionAttributeValues": to_values({":one": 1, ":most": MAX_PROVIDERS}),
                }
            },
            {  # the asset is still there, and knows from now on that it has (had) grants
                "Update": {
                    "TableName": TABLE_NAME,
                    "Key": key(grant["PK"], keys.asset_sk(grant["asset_id"])),
                    "UpdateExpression": "SET granted = :yes",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": to_values({":yes": True}),
                }
            },
        ]
    try:
        client.transact_write_items(TransactItems=parts)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        reasons = cancellation_codes(error)
        if new and reasons[3:4] == ["ConditionalCheckFailed"]:
            raise Gone from None
        if new and reasons[2:3] == ["ConditionalCheckFailed"] and reasons[0] != "ConditionalCheckFailed":
            raise TooMany from None
        raise Moved(None) from None


def links_of(provider: str, asset_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The provider's links to these assets (one BatchGetItem per 100, consistent), by asset id."""
    pk = keys.account_pk(provider)
    found = get_items([key(pk, plan_keys.link_sk(asset_id)) for asset_id in dict.fromkeys(asset_ids)])
    return {item["asset_id"]: item for item in found}


def get_link(provider: str, asset_id: str) -> dict[str, Any] | None:
    return get_one(keys.account_pk(provider), plan_keys.link_sk(asset_id))


def links_page(
    provider: str, owner: str | None, plan_id: str | None, limit: int, cursor: str | None
) -> PageResult:
    """The provider's links by asset (G3), those in force only (of one owner, with open tasks of
    one plan, if given)."""
    pk = keys.account_pk(provider)
    values: dict[str, Any] = {":pk": pk, ":prefix": plan_keys.LINK}
    filters, names = link_filter(owner, plan_id, values)
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values(values),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        filter_expression=filters,
        names=names,
    )


def get_grant(owner: str, asset_id: str, provider: str) -> dict[str, Any] | None:
    return get_one(keys.account_pk(owner), plan_keys.grant_sk(asset_id, provider))


def asset_grants(owner: str, asset_id: str) -> list[dict[str, Any]]:
    """An asset's grants, taken back or not (at most MAX_PROVIDERS; consistent)."""
    return all_under(keys.account_pk(owner), plan_keys.asset_grants_prefix(asset_id))


def _plain_delete(pk: str, sk: str, **condition: Any) -> dict[str, Any]:
    return {"Delete": {"TableName": TABLE_NAME, "Key": key(pk, sk), **condition}}


def asset_deletes(owner: str, asset_id: str) -> list[Any]:
    """The parts that delete an asset's grants, their links and its counter with the asset; the
    counter's delete holds only if no grant came meanwhile (a new grant counts, and checks that
    the asset is still there)."""
    grants = asset_grants(owner, asset_id)
    if not grants:
        return []
    parts = [
        _plain_delete(
            keys.account_pk(owner),
            plan_keys.grant_counter_sk(asset_id),
            ConditionExpression="grants = :seen",
            ExpressionAttributeValues=to_values({":seen": len(grants)}),
        )
    ]
    for grant in grants:
        parts.append(_plain_delete(grant["PK"], grant["SK"]))
        parts.append(_plain_delete(keys.account_pk(grant["provider"]), plan_keys.link_sk(asset_id)))
    return parts


def rename_links(owner: str, asset_id: str, name: str, version: int) -> None:
    """Give the asset's links its new name (after the asset's write; of two renames, the later
    version's name stays)."""
    grants = asset_grants(owner, asset_id)
    for grant in grants:
        try:
            client.update_item(
                TableName=TABLE_NAME,
                Key=key(keys.account_pk(grant["provider"]), plan_keys.link_sk(asset_id)),
                UpdateExpression="SET #name = :name, name_version = :version",
                ConditionExpression="attribute_exists(PK) AND "
                "(attribute_not_exists(name_version) OR name_version < :version)",
                ExpressionAttributeNames={"#name": "name"},
                ExpressionAttributeValues=to_values({":name": name, ":version": version}),
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise


def delete_link(provider: str, asset_id: str) -> None:
    """A removed grant's link, after the grant (a link left by a stop is taken back, so hidden,
    and a new grant puts its own over it)."""
    client.delete_item(TableName=TABLE_NAME, Key=key(keys.account_pk(provider), plan_keys.link_sk(asset_id)))
