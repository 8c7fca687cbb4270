"""Public status links (docs/data-model.md W12): the only items outside an account's partitions,
read by the public status route alone."""

from typing import TYPE_CHECKING, Any

from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, from_item, key
from shared.data.work_orders_repo import delete_item, put_new

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def link_put(
    reference_hash: str, account_id: str, order_id: str, created_at: str
) -> "TransactWriteItemTypeDef":
    """A public status link: which order a reference shows (the reference itself is not kept)."""
    item = {
        "PK": keys.public_order_pk(reference_hash),
        "SK": keys.PUBLIC_LINK_SK,
        "entity": "public_link",
        "account_id": account_id,
        "order_id": order_id,
        "created_at": created_at,
    }
    return put_new(item)


def link_delete(reference_hash: str) -> "TransactWriteItemTypeDef":
    return delete_item(keys.public_order_pk(reference_hash), keys.PUBLIC_LINK_SK)


def find_link(reference_hash: str) -> dict[str, Any] | None:
    """The link a reference's hash names (eventually consistent: a link is read long after it is
    made; a revoked one is gone from every copy within a second)."""
    response = client.get_item(
        TableName=TABLE_NAME, Key=key(keys.public_order_pk(reference_hash), keys.PUBLIC_LINK_SK)
    )
    item = response.get("Item")
    return from_item(item) if item else None
