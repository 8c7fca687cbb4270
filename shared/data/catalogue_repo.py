"""Data access for an account's work-order catalogues (C1-C9 in docs/data-model.md): statuses,
types, reasons, hourly rates and sites, each one item in the account's partition.

Every write is conditioned on the version the caller read (or on there being no item), so a
change made meanwhile is refused with ``Moved`` instead of being overwritten unseen.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.dynamo import (
    TABLE_NAME,
    client,
    error_code,
    from_item,
    key,
    refused_item,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_all, query_page

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import ConditionCheckTypeDef, PutTypeDef

# What the sort keys of each catalogue begin with.
STATUSES, TYPES = keys.order_status_sk(""), keys.order_type_sk("")
REASONS = keys.order_reason_sk("", "").removesuffix("#")  # every outcome's
RATES, SITES = keys.hourly_rate_sk(""), keys.site_sk("")


@dataclass
class Moved(Exception):
    """A conditional write found the item changed (or created, or gone) since it was read."""

    current: dict[str, Any] | None = None


def entries(account_id: str, prefix: str) -> list[dict[str, Any]]:
    """Every stored entry of one catalogue (tombstones included), in key order (C1, C3, C5)."""
    pk = keys.account_pk(account_id)
    request = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": to_values({":pk": pk, ":prefix": prefix}),
        "ConsistentRead": True,
    }
    return list(query_all(request))


def get(account_id: str, sk: str) -> dict[str, Any] | None:
    response = client.get_item(
        TableName=TABLE_NAME, Key=key(keys.account_pk(account_id), sk), ConsistentRead=True
    )
    item = response.get("Item")
    return from_item(item) if item else None


def _record(
    account_id: str, sk: str, fields: dict[str, Any], seen: int | None, now: datetime
) -> dict[str, Any]:
    return {
        **fields,
        "PK": keys.account_pk(account_id),
        "SK": sk,
        "version": (seen or 0) + 1,
        "updated_at": to_iso(now),
    }


def _condition(seen: int | None) -> tuple[str, dict[str, Any]]:
    """The item is still as read: absent (``seen`` None) or at version ``seen``."""
    if seen is None:
        return "attribute_not_exists(PK)", {}
    return "#version = :seen", {":seen": seen}


def _moved(error: ClientError) -> Moved:
    return Moved(refused_item(error))


def put(account_id: str, sk: str, fields: dict[str, Any], seen: int | None, now: datetime) -> dict[str, Any]:
    """Store an entry whole, as the next version of what was read (``seen`` None: nothing was
    stored); ``Moved`` if it changed meanwhile. Returns the stored item."""
    record = _record(account_id, sk, fields, seen, now)
    condition, values = _condition(seen)
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Item": to_item(record),
        "ConditionExpression": condition,
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if values:
        request["ExpressionAttributeNames"] = {"#version": "version"}
        request["ExpressionAttributeValues"] = to_values(values)
    try:
        client.put_item(**request)
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise _moved(error) from None
        raise
    return record


def delete(account_id: str, sk: str, seen: int) -> None:
    """Delete an entry still at version ``seen``; ``Moved`` if it changed meanwhile."""
    try:
        client.delete_item(
            TableName=TABLE_NAME,
            Key=key(keys.account_pk(account_id), sk),
            ConditionExpression="#version = :seen",
            ExpressionAttributeNames={"#version": "version"},
            ExpressionAttributeValues=to_values({":seen": seen}),
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise _moved(error) from None
        raise


def put_unless_elsewhere(
    account_id: str, sk: str, fields: dict[str, Any], seen: int | None, now: datetime, elsewhere: str
) -> dict[str, Any]:
    """``put``, in one transaction with a check that the entry at ``elsewhere`` is absent or a
    tombstone (a reason code is unique across outcomes, C6); ``Moved`` if either changed."""
    record = _record(account_id, sk, fields, seen, now)
    condition, values = _condition(seen)
    put_part: PutTypeDef = {
        "TableName": TABLE_NAME,
        "Item": to_item(record),
        "ConditionExpression": condition,
    }
    if values:
        put_part["ExpressionAttributeNames"] = {"#version": "version"}
        put_part["ExpressionAttributeValues"] = to_values(values)
    check: ConditionCheckTypeDef = {
        "TableName": TABLE_NAME,
        "Key": key(keys.account_pk(account_id), elsewhere),
        "ConditionExpression": "attribute_not_exists(PK) OR #deleted = :yes",
        "ExpressionAttributeNames": {"#deleted": "deleted"},
        "ExpressionAttributeValues": to_values({":yes": True}),
    }
    try:
        client.transact_write_items(TransactItems=[{"Put": put_part}, {"ConditionCheck": check}])
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise Moved(None) from None
        raise
    return record


def page(
    account_id: str, prefix: str, limit: int, cursor: str | None, only: tuple[str, Any] | None = None
) -> PageResult:
    """One page of a catalogue listed by id (C7, C9), optionally only entries whose attribute
    ``only[0]`` is ``only[1]``."""
    pk = keys.account_pk(account_id)
    values: dict[str, Any] = {":pk": pk, ":prefix": prefix}
    names: dict[str, str] | None = None
    if only is not None:
        values[":only"] = only[1]
        names = {"#only": only[0]}
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values(values),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        filter_expression="#only = :only" if only is not None else None,
        names=names,
    )


def status_in_use(account_id: str, status_key: str) -> bool:
    """Whether some order is in the status now (C4): one entry of GSI7 is enough."""
    response = client.query(
        TableName=TABLE_NAME,
        IndexName="GSI7",
        KeyConditionExpression="GSI7PK = :pk",
        ExpressionAttributeValues=to_values({":pk": keys.orders_by_status_gsi7pk(account_id, status_key)}),
        Limit=1,
    )
    return bool(response.get("Items"))
