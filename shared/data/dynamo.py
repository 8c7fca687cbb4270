"""The DynamoDB client and the conversions every data-access module shares.

One low-level client per process, made at import (Lambda init). The client is used rather than
the resource API because it starts faster; items are converted here, once.
"""

import os
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from shared.data.table_definition import PARTITION_KEY, SORT_KEY

TABLE_NAME = os.environ.get("TABLE_NAME", "servicecycle")
TRANSACTION_ITEMS = 100  # the most actions one TransactWriteItems takes
# As many connections as the evaluator has threads (one per shard of its index).
client = boto3.client("dynamodb", config=Config(max_pool_connections=16))

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A plain dict as a DynamoDB item; ``None`` values are left out."""
    return {k: _serializer.serialize(v) for k, v in _to_dynamo(data).items()}


def to_values(data: dict[str, Any]) -> dict[str, Any]:
    """Expression attribute values (``None`` becomes NULL, unlike in items)."""
    return {k: _serializer.serialize(_to_dynamo(v)) for k, v in data.items()}


def set_and_remove(
    fields: dict[str, Any], more_sets: Sequence[str] = ()
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression that sets ``fields`` and removes those given as None, plus ``more_sets``.

    Returns (expression, attribute names, attribute values); the values are plain (callers add
    their own and convert them with ``to_values``).
    """
    sets = [f"#{name} = :{name}" for name, value in fields.items() if value is not None]
    sets += more_sets
    removes = [f"#{name}" for name, value in fields.items() if value is None]
    parts = (f"SET {', '.join(sets)}" if sets else "", f"REMOVE {', '.join(removes)}" if removes else "")
    names = {f"#{name}": name for name in fields}
    values = {f":{name}": value for name, value in fields.items() if value is not None}
    return " ".join(part for part in parts if part), names, values


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_dynamo(_deserializer.deserialize(v)) for k, v in item.items()}


def on_version(seen: int | None) -> dict[str, Any]:
    """The condition of a write that stores the next version of what was read: the item is still
    at version ``seen``, or (``seen`` None) does not exist yet."""
    if seen is None:
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    return {
        "ConditionExpression": "#version = :seen",
        "ExpressionAttributeNames": {"#version": "version"},
        "ExpressionAttributeValues": to_values({":seen": seen}),
    }


def get_one(pk: str, sk: str) -> dict[str, Any] | None:
    """One item by its key, consistently; None if there is none."""
    found = client.get_item(TableName=TABLE_NAME, Key=key(pk, sk), ConsistentRead=True).get("Item")
    return from_item(found) if found else None


def get_items(keys: list[dict[str, Any]], *, consistent: bool = True) -> list[dict[str, Any]]:
    """The items found among ``keys``, read with BatchGetItem: rounds of 100 keys, retrying what
    DynamoDB leaves unprocessed. Missing items are simply absent.

    ``consistent=False`` reads at half the price (eventually consistent) and reads what it did
    not find once more consistently, so an item written just before is never missed; an item
    found may be a moment old, which callers that write conditionally on it notice and retry.
    """
    found = _batch_get(keys, consistent)
    if not consistent and len(found) < len(keys):
        seen = {(item[PARTITION_KEY], item[SORT_KEY]) for item in found}
        missing = [k for k in keys if (k[PARTITION_KEY]["S"], k[SORT_KEY]["S"]) not in seen]
        found += _batch_get(missing, True)
    return found


def _batch_get(keys: list[dict[str, Any]], consistent: bool) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), 100):
        request: dict[str, Any] = {
            TABLE_NAME: {"Keys": keys[start : start + 100], "ConsistentRead": consistent}
        }
        while request:
            response = client.batch_get_item(RequestItems=request)
            found.extend(from_item(item) for item in response.get("Responses", {}).get(TABLE_NAME, []))
            request = response.get("UnprocessedKeys") or {}
    return found


def put_all(items: list[dict[str, Any]]) -> None:
    """Store plain items with BatchWriteItem (rounds of 25), retrying what DynamoDB leaves
    unprocessed with a short, growing pause."""
    for start in range(0, len(items), 25):
        request: dict[str, Any] = {
            TABLE_NAME: [{"PutRequest": {"Item": to_item(item)}} for item in items[start : start + 25]]
        }
        for attempt in range(10):
            response = client.batch_write_item(RequestItems=request)
            request = response.get("UnprocessedItems") or {}
            if not request:
                break
            time.sleep(min(0.05 * 2**attempt, 1.0))
        else:
            raise RuntimeError("DynamoDB kept items of a batch write unprocessed")


def delete_all(keys: list[dict[str, Any]]) -> None:
    """Delete items by key with BatchWriteItem (rounds of 25), retrying what DynamoDB leaves
    unprocessed with a short, growing pause."""
    for start in range(0, len(keys), 25):
        request: dict[str, Any] = {
            TABLE_NAME: [{"DeleteRequest": {"Key": k}} for k in keys[start : start + 25]]
        }
        for attempt in range(10):
            response = client.batch_write_item(RequestItems=request)
            request = response.get("UnprocessedItems") or {}
            if not request:
                break
            time.sleep(min(0.05 * 2**attempt, 1.0))
        else:
            raise RuntimeError("DynamoDB kept items of a batch delete unprocessed")


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def refused_item(error: ClientError) -> dict[str, Any] | None:
    """The item a refused conditional write found (with ReturnValuesOnConditionCheckFailure=ALL_OLD)."""
    old = error.response.get("Item")  # present only with that option
    return from_item(old) if isinstance(old, dict) and old else None


def cancellation_codes(error: ClientError) -> list[str]:
    """Per-action reasons of a cancelled transaction, in the order the actions were sent."""
    reasons = error.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]
