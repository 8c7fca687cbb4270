"""Data access for assets (and their external-id uniqueness items). Patterns: docs/data-model.md."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import assignments_repo, grants_repo, keys
from shared.data.dynamo import (
    TABLE_NAME,
    TRANSACTION_ITEMS,
    client,
    error_code,
    from_item,
    get_items,
    key,
    to_item,
)
from shared.domain.assets import fold
from shared.faults import conflict, not_found, version_mismatch

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import PutTypeDef, TransactWriteItemTypeDef

# Attributes kept beside the user's fields for case-insensitive matching.
_FOLDED = {
    "name": "name_f",
    "brand": "brand_f",
    "model": "model_f",
    "serial_number": "serial_f",
    "external_id": "external_f",
}


def duplicate_external_id(external_id: str) -> Exception:
    return conflict(
        f"another asset in this account already has external_id '{external_id}'",
        "body.external_id",
        "duplicate_external_id",
    )


def folded(fields: dict[str, Any]) -> dict[str, Any]:
    return {_FOLDED[name]: fold(value) for name, value in fields.items() if name in _FOLDED}


def external_id_put(account_id: str, external_id: str, asset_id: str) -> "TransactWriteItemTypeDef":
    return {
        "Put": {
            "TableName": TABLE_NAME,
            "Item": to_item(
                {
                    "PK": keys.account_pk(account_id),
                    "SK": keys.external_id_sk(external_id),
                    "entity": "external_id",
                    "asset_id": asset_id,
                }
            ),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


def external_id_delete(account_id: str, external_id: str) -> "TransactWriteItemTypeDef":
    return {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.external_id_sk(external_id)),
        }
    }


def create_asset(account_id: str, asset_id: str, fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Store a new asset; with an external id, claim it in the same transaction (409 if taken)."""
    stamp = to_iso(now)
    record = {
        "PK": keys.account_pk(account_id),
        "SK": keys.asset_sk(asset_id),
        "GSI1PK": keys.asset_type_gsi1pk(account_id, fields["type"]),
        "entity": "asset",
        "id": asset_id,
        **fields,
        **folded(fields),
        "meter_seq": 0,
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
    }
    put: PutTypeDef = {
        "TableName": TABLE_NAME,
        "Item": to_item(record),
        "ConditionExpression": "attribute_not_exists(PK)",
    }
    external_id = fields.get("external_id")
    if external_id is None:
        client.put_item(**put)
        return record
    try:
        client.transact_write_items(
            TransactItems=[{"Put": put}, external_id_put(account_id, external_id, asset_id)]
        )
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise duplicate_external_id(external_id) from None
        raise
    return record


def get_asset_item(account_id: str, asset_id: str, *, consistent: bool = True) -> dict[str, Any] | None:
    """The asset; ``consistent=False`` as in ``dynamo.get_items`` (half the price, never misses
    an asset just registered, may be a moment old)."""
    asset_key = key(keys.account_pk(account_id), keys.asset_sk(asset_id))
    response = client.get_item(TableName=TABLE_NAME, Key=asset_key, ConsistentRead=consistent)
    if "Item" not in response and not consistent:
        response = client.get_item(TableName=TABLE_NAME, Key=asset_key, ConsistentRead=True)
    item = response.get("Item")
    return from_item(item) if item else None


def find_asset_id_by_external_id(account_id: str, external_id: str) -> str | None:
    response = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), keys.external_id_sk(external_id)),
        ConsistentRead=True,
    )
    item = response.get("Item")
    return str(from_item(item)["asset_id"]) if item else None


def asset_as_expected(account_id: str, asset_id: str, expected_version: int | None) -> dict[str, Any]:
    """The stored asset before a change: 404 when there is none, 412 when the client's
    ``expected_version`` (If-Match) is not its version."""
    current = get_asset_item(account_id, asset_id)
    if current is None:
        raise not_found("Asset")
    if expected_version is not None and int(current["version"]) != expected_version:
        raise version_mismatch(int(current["version"]))
    return current


def _has_tasks(count: int) -> Exception:
    return conflict(f"the asset has {count} service task(s); delete them first", None, "asset_has_tasks")


def delete_asset(account_id: str, asset_id: str, expected_version: int | None) -> None:
    current = asset_as_expected(account_id, asset_id, expected_version)
    version = int(current["version"])
    if int(current.get("task_count", 0)) > 0:
        raise _has_tasks(int(current["task_count"]))
    delete: TransactWriteItemTypeDef = {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.asset_sk(asset_id)),
            # No task may have arrived since the read: its history would lose its asset.
            "ConditionExpression": (
                "#version = :seen AND (attribute_not_exists(task_count) OR task_count = :zero)"
            ),
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":seen": {"N": str(version)}, ":zero": {"N": "0"}},
        }
    }
    actions = [delete]
    if current.get("external_id") is not None:
        actions.append(external_id_delete(account_id, current["external_id"]))
    # What relates the asset to plans and providers goes with it (pending assignments; grants,
    # only for an asset that was ever granted: a grant marks it, and a first one written after
    # this read fails the delete's condition).
    actions += assignments_repo.asset_deletes(account_id, asset_id)
    if current.get("granted"):
        actions += grants_repo.asset_deletes(account_id, asset_id)
    else:
        delete["Delete"]["ConditionExpression"] += " AND attribute_not_exists(granted)"
    if len(actions) > TRANSACTION_ITEMS:
        raise conflict("the asset has too many plan assignments to delete at once; remove some first")
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise conflict("the asset changed while it was being deleted; read it and try again") from None
        raise


def _batch_get(account_id: str, sort_keys: list[str], consistent: bool) -> list[dict[str, Any]]:
    pk = keys.account_pk(account_id)
    return get_items([key(pk, sk) for sk in sort_keys], consistent=consistent)


def get_asset_items(
    account_id: str, asset_ids: list[str], *, consistent: bool = True
) -> dict[str, dict[str, Any]]:
    """The stored assets among ``asset_ids``, by id (missing ones are simply absent);
    ``consistent`` as in ``dynamo.get_items``."""
    sort_keys = [keys.asset_sk(asset_id) for asset_id in dict.fromkeys(asset_ids)]
    return {item["id"]: item for item in _batch_get(account_id, sort_keys, consistent)}


def find_asset_ids_by_external_ids(
    account_id: str, external_ids: list[str], *, consistent: bool = True
) -> dict[str, str]:
    """external id -> asset id for those that exist; ``consistent`` as in ``dynamo.get_items``
    (an eventually consistent answer may name the asset an id was moved from a moment ago:
    services.reading_targets checks it against the asset)."""
    sort_keys = [keys.external_id_sk(ext) for ext in dict.fromkeys(external_ids)]
    items = _batch_get(account_id, sort_keys, consistent)
    return {item["SK"].removeprefix("EXTID#"): item["asset_id"] for item in items}
