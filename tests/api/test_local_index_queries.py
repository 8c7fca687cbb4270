"""The local moto's index Queries (local/moto_queries.py) answer exactly what moto's own method
answers: the same items, order, pages, ScannedCount and LastEvaluatedKey."""

import uuid
from typing import Any

import boto3
import pytest

from local.moto_queries import _PATCHED
from shared.data.dynamo import TABLE_NAME


@pytest.fixture(scope="module")
def partition() -> str:
    """Entries of one GSI4 partition, the sort keys 000 to 199, among other partitions' entries."""
    client = boto3.client("dynamodb")
    pk = f"Q#{uuid.uuid4().hex}"
    for n in range(200):
        for owner in (pk, f"{pk}-other"):
            item = {
                "PK": {"S": owner},
                "SK": {"S": f"I#{n:03d}"},
                "GSI4PK": {"S": owner},
                "GSI4SK": {"S": f"{n:03d}"},
            }
            client.put_item(TableName=TABLE_NAME, Item=item)
    return pk


def pages(
    pk: str, condition: str, values: dict[str, Any], forward: bool = True
) -> list[tuple[list[str], int, Any]]:
    client = boto3.client("dynamodb")
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "IndexName": "GSI4",
        "KeyConditionExpression": f"GSI4PK = :pk AND {condition}",
        "ExpressionAttributeValues": {":pk": {"S": pk}, **{k: {"S": v} for k, v in values.items()}},
        "ScanIndexForward": forward,
        "Limit": 30,
    }
    seen = []
    while True:
        response = client.query(**request)
        seen.append(
            (
                [i["SK"]["S"] for i in response["Items"]],
                response["ScannedCount"],
                response.get("LastEvaluatedKey"),
            )
        )
        if "LastEvaluatedKey" not in response:
            return seen
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


@pytest.mark.parametrize(
    ("condition", "values", "forward"),
    [
        ("GSI4SK < :v", {":v": "050"}, True),
        ("GSI4SK <= :v", {":v": "120"}, False),
        ("GSI4SK > :v", {":v": "150"}, True),
        ("GSI4SK BETWEEN :a AND :b", {":a": "010", ":b": "099"}, True),
        ("begins_with(GSI4SK, :v)", {":v": "1"}, False),
    ],
)
def test_the_prefilter_answers_what_moto_answers(
    partition: str, condition: str, values: dict[str, str], forward: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.dynamodb.models.table import Table  # noqa: PLC0415

    patched = Table.query
    assert getattr(patched, _PATCHED, False)
    fast = pages(partition, condition, values, forward)
    monkeypatch.setattr(Table, "query", patched.__wrapped__)
    assert pages(partition, condition, values, forward) == fast
    assert sum(len(items) for items, _, _ in fast) > 30  # more than one page
