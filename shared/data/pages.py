"""One page of a Query, with an opaque cursor that cannot reach outside the caller's partition.

Pages are filled: the query asks for one item more than the page so that ``next`` is absent
exactly when there is nothing more (no empty last page). With a filter, it keeps reading until
the page is full or a bound on examined items is reached.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from shared.data.dynamo import TABLE_NAME, client, error_code, from_item
from shared.data.table_definition import INDEX_KEYS
from shared.faults import invalid_cursor

MAX_EXAMINED = 2000


@dataclass(frozen=True)
class PageResult:
    items: list[dict[str, Any]]
    next: str | None


def encode_cursor(item: dict[str, Any], index: str | None) -> str:
    position = {name: item[name] for name in INDEX_KEYS[index]}
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, index: str | None, partition: dict[str, str]) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid_cursor() from None
    expected = set(INDEX_KEYS[index])
    if not isinstance(position, dict) or set(position) != expected:
        raise invalid_cursor()
    if any(not isinstance(value, str) for value in position.values()):
        raise invalid_cursor()
    if any(position.get(name) != value for name, value in partition.items()):
        raise invalid_cursor()
    return {name: {"S": value} for name, value in position.items()}


def query_all(request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item a Query finds, page after page (callers bound how many they take)."""
    request = dict(request)
    while True:
        response = client.query(**request)
        yield from (from_item(raw) for raw in response.get("Items", []))
        if "LastEvaluatedKey" not in response:
            return
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def all_under(pk: str, prefix: str) -> list[dict[str, Any]]:
    """Every item of a partition whose sort key starts with ``prefix``, consistently (for key
    ranges that stay small: an asset's grants or assignments)."""
    values = {":pk": {"S": pk}}
    condition = "PK = :pk"
    if prefix:  # an empty prefix is the whole partition (DynamoDB takes no empty key value)
        condition += " AND begins_with(SK, :prefix)"
        values[":prefix"] = {"S": prefix}
    request = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": values,
        "ConsistentRead": True,
    }
    return list(query_all(request))


def prefix_page(pk: str, prefix: str, limit: int, cursor: str | None) -> PageResult:
    """One page of a partition's items whose sort key starts with ``prefix``, in key order."""
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values={":pk": {"S": pk}, ":prefix": {"S": prefix}},
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
    )


def query_page(
    *,
    key_condition: str,
    values: dict[str, Any],
    partition: dict[str, str],
    limit: int,
    cursor: str | None = None,
    index: str | None = None,
    filter_expression: str | None = None,
    names: dict[str, str] | None = None,
    forward: bool = True,
) -> PageResult:
    """Run a Query for one page. ``partition`` names the key values a cursor must carry."""
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": key_condition,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": forward,
    }
    if index:
        request["IndexName"] = index
    else:
        request["ConsistentRead"] = True
    if filter_expression:
        request["FilterExpression"] = filter_expression
    if names:
        request["ExpressionAttributeNames"] = names
    if cursor:
        request["ExclusiveStartKey"] = decode_cursor(cursor, index, partition)
    items: list[dict[str, Any]] = []
    examined = 0
    while True:
        request["Limit"] = limit + 1 - len(items) if not filter_expression else limit + 1
        try:
            response = client.query(**request)
        except ClientError as error:
            if cursor and error_code(error) == "ValidationException":
                raise invalid_cursor() from None
            raise
        items.extend(from_item(raw) for raw in response.get("Items", []))
        examined += int(response.get("ScannedCount", 0))
        last_key = response.get("LastEvaluatedKey")
        if len(items) > limit:
            return PageResult(items[:limit], encode_cursor(items[limit - 1], index))
        if not last_key:
            return PageResult(items, None)
        if examined >= MAX_EXAMINED:
            # A sparse filter: hand back what was found and where to go on from.
            position = {name: from_item({name: value})[name] for name, value in last_key.items()}
            return PageResult(items, encode_cursor(position, index))
        request["ExclusiveStartKey"] = last_key
