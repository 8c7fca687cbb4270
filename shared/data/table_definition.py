"""The table's shape, used by the CDK stack and by the local/test table alike."""

from typing import Any

PARTITION_KEY = "PK"
SORT_KEY = "SK"
TTL_ATTRIBUTE = "expires_at"
# name -> (partition key attribute, sort key attribute)
GLOBAL_INDEXES: dict[str, tuple[str, str]] = {
    "GSI1": ("GSI1PK", "SK"),  # assets of a type in the table's own order: no copy of the key
    "GSI2": ("GSI2PK", "GSI2SK"),
    "GSI3": ("GSI3PK", "GSI3SK"),
    "GSI4": ("GSI4PK", "GSI4SK"),
    "GSI5": ("GSI5PK", "GSI5SK"),  # due at an instant, across accounts: the evaluator's index
    "GSI6": ("GSI6PK", "GSI6SK"),  # work orders open by planned start, closed by close time
    "GSI7": ("GSI7PK", "GSI7SK"),  # work orders in one status, by number
}
# What each index stores besides the keys: None for every attribute. The asset indexes (GSI1,
# GSI2) keep only what their filters read, so that a reading, which rewrites the asset's meters,
# does not rewrite their entries (docs/cost.md); a page read from them fetches its assets.
SEARCH_COPIES = ("name_f", "brand_f", "model_f", "serial_f", "external_f")
PROJECTIONS: dict[str, tuple[str, ...] | None] = {
    "GSI1": SEARCH_COPIES,
    "GSI2": (*SEARCH_COPIES, "type", "service_warn_at", "service_due_at"),
    "GSI3": None,
    "GSI4": None,
    # What the evaluator decides a task's transition on, so that one index entry read is all a
    # transition reads (docs/notifications.md); notifications and held deliveries in it are
    # named by their keys alone.
    "GSI5": (
        "entity",
        "id",
        "asset_id",
        "name",
        "state",
        "version",
        "notice",
        "pending_notice",
        "date_warn_at",
        "date_due_at",
        "recipients",
    ),
    # Work-order lists read their pages from these indexes alone (a page of 50 reads 51 items).
    "GSI6": None,
    "GSI7": None,
}


def projection(index: str) -> dict[str, Any]:
    """The index's ``Projection`` as DynamoDB's API spells it."""
    attributes = PROJECTIONS[index]
    if attributes is None:
        return {"ProjectionType": "ALL"}
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(attributes)}


# Attributes that make up an item's position in each index (used to build page cursors).
INDEX_KEYS: dict[str | None, tuple[str, ...]] = {
    None: (PARTITION_KEY, SORT_KEY),
    **{
        name: tuple(dict.fromkeys((PARTITION_KEY, SORT_KEY, pk, sk)))
        for name, (pk, sk) in GLOBAL_INDEXES.items()
    },
}


def create_table_request(table_name: str) -> dict[str, Any]:
    """Arguments for ``create_table`` that give the same table as the CDK stack."""
    attributes = {PARTITION_KEY, SORT_KEY}
    for pk, sk in GLOBAL_INDEXES.values():
        attributes.update((pk, sk))
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": pk, "KeyType": "HASH"},
                    {"AttributeName": sk, "KeyType": "RANGE"},
                ],
                "Projection": projection(name),
            }
            for name, (pk, sk) in GLOBAL_INDEXES.items()
        ],
    }
