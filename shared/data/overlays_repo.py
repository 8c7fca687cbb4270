"""Data access for overlays (O1-O5 in docs/data-model.md): a provider's warning thresholds over a
plan, in the provider's partition under ``OVERLAY#<plan>#<asset or *>#<service or *>`` (so the
overlays that can cover one task are 4 known keys), with a pointer ``OVLID#<id>`` for reads by id.
An overlay whose assets were not all brought to it yet waits in the evaluator's index (GSI5) with
where to go on from (``pending``)."""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.data import keys, plan_keys
from shared.data.catalogue_repo import Moved
from shared.data.dynamo import (
    TABLE_NAME,
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
from shared.data.pages import PageResult, prefix_page
from shared.data.task_items import eval_keys
from shared.domain.overlays import ANY


def new_item(
    provider: str, plan_id: str, asset_id: str | None, service_id: str | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """The overlay item (fields given as None are left out; progress and index keys start over)."""
    item = {
        "PK": keys.account_pk(provider),
        "SK": plan_keys.overlay_sk(plan_id, asset_id, service_id),
        "entity": "overlay",
        "plan_id": plan_id,
        "asset_id": asset_id,
        "planned_service_id": service_id,
        **{k: v for k, v in fields.items() if k not in ("pending", "deleting", "GSI5PK", "GSI5SK")},
    }
    return {name: value for name, value in item.items() if value is not None}


def provider_of(item: dict[str, Any]) -> str:
    return keys.account_of(item["PK"])


def get(provider: str, plan_id: str, asset_id: str | None, service_id: str | None) -> dict[str, Any] | None:
    return get_one(keys.account_pk(provider), plan_keys.overlay_sk(plan_id, asset_id, service_id))


def get_by_id(provider: str, overlay_id: str) -> dict[str, Any] | None:
    pk = keys.account_pk(provider)
    pointer = get_one(pk, plan_keys.overlay_pointer_sk(overlay_id))
    item = get_one(pk, pointer["scope"]) if pointer else None
    return item if item is not None and item["id"] == overlay_id else None  # replaced: another id


def put(item: dict[str, Any], seen: int | None, new_id: bool = False) -> None:
    """Store the overlay as the next version of what was read (None: new); a new overlay id
    gets its pointer."""
    parts: list[Any] = [{"Put": {"TableName": TABLE_NAME, "Item": to_item(item), **on_version(seen)}}]
    if seen is None or new_id:
        pointer = {"PK": item["PK"], "SK": plan_keys.overlay_pointer_sk(item["id"]), "scope": item["SK"]}
        parts.append({"Put": {"TableName": TABLE_NAME, "Item": to_item(pointer)}})
    _run(parts)


def delete(item: dict[str, Any]) -> None:
    parts = [
        {
            "Delete": {
                "TableName": TABLE_NAME,
                "Key": key(item["PK"], item["SK"]),
                **on_version(int(item["version"])),
            }
        },
        {
            "Delete": {
                "TableName": TABLE_NAME,
                "Key": key(item["PK"], plan_keys.overlay_pointer_sk(item["id"])),
            }
        },
    ]
    _run(parts)


def _run(parts: list[Any]) -> None:
    try:
        client.transact_write_items(TransactItems=parts)
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise Moved(None) from None
        raise


def page(provider: str, plan_id: str | None, limit: int, cursor: str | None) -> PageResult:
    """The provider's overlays by plan, asset and planned service (O3)."""
    return prefix_page(keys.account_pk(provider), plan_keys.overlay_prefix(plan_id), limit, cursor)


def has_any(provider: str, plan_id: str) -> bool:
    """Whether the provider has an overlay over the plan (one Query, Limit 1: O4)."""
    response = client.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues=to_values(
            {":pk": keys.account_pk(provider), ":prefix": plan_keys.overlay_prefix(plan_id)}
        ),
        Limit=1,
    )
    return bool(response.get("Items"))


def covering(
    provider: str, plan_id: str, asset_id: str, service_ids: list[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The provider's overlays that can cover the planned services on the asset (one BatchGetItem
    of 2 + 2 per service keys: O5), by the (asset or ``*``, service or ``*``) they cover."""
    pk = keys.account_pk(provider)
    scopes = {(ANY, ANY), (asset_id, ANY)} | {(a, s) for s in service_ids for a in (asset_id, ANY)}
    wanted = [
        key(pk, plan_keys.overlay_sk(plan_id, None if a == ANY else a, None if s == ANY else s))
        for a, s in sorted(scopes)
    ]
    return {
        (item.get("asset_id") or ANY, item.get("planned_service_id") or ANY): item
        for item in get_items(wanted)
    }


def pending(item: dict[str, Any], cursor: str | None, at: datetime | None) -> None:
    """Leave where bringing the overlay's assets to it goes on (GSI5 at ``at``), or clear it."""
    fields = {"pending": cursor, **eval_keys(item["SK"], at)}
    expression, names, values = set_and_remove(fields)
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Key": key(item["PK"], item["SK"]),
        "UpdateExpression": expression,
        "ConditionExpression": "attribute_exists(PK)",
        "ExpressionAttributeNames": names,
    }
    if values:
        request["ExpressionAttributeValues"] = to_values(values)
    try:
        client.update_item(**request)
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":  # deleted meanwhile: nothing to do
            raise
