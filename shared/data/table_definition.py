"""The table's shape, used by the CDK stack and by the local/test table alike."""

from typing import Any

PARTITION_KEY = "PK"
SORT_KEY = "SK"
TTL_ATTRIBUTE = "expires_at"
# name -> (partition key attribute, sort key attribute); every index projects all attributes.
GLOBAL_INDEXES: dict[str, tuple[str, str]] = {
    "GSI1": ("GSI1PK", "GSI1SK"),
    "GSI2": ("GSI2PK", "GSI2SK"),
    "GSI3": ("GSI3PK", "GSI3SK"),
    "GSI4": ("GSI4PK", "GSI4SK"),
}
# Attributes that make up an item's position in each index (used to build page cursors).
INDEX_KEYS: dict[str | None, tuple[str, ...]] = {
    None: (PARTITION_KEY, SORT_KEY),
    **{name: (PARTITION_KEY, SORT_KEY, pk, sk) for name, (pk, sk) in GLOBAL_INDEXES.items()},
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
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, (pk, sk) in GLOBAL_INDEXES.items()
        ],
    }
