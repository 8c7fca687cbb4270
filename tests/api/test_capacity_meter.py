"""The bench's capacity meter prices real calls: it sees every call on the hooked client, reads
the images a write is priced on, and prices a Query on what it evaluated, not what it returned."""

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from bench.capacity import TABLE, CapacityMeter

KB = 1024


@pytest.fixture
def table() -> Iterator[tuple[Any, CapacityMeter]]:
    name = f"capacity-{uuid.uuid4().hex[:8]}"
    client, reader = boto3.client("dynamodb"), boto3.client("dynamodb")
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "GK", "GS")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "GSI",
                "KeySchema": [
                    {"AttributeName": "GK", "KeyType": "HASH"},
                    {"AttributeName": "GS", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["kept"]},
            }
        ],
    )
    with CapacityMeter(client, reader, name) as meter:
        yield client, meter
    client.delete_table(TableName=name)


def item(sk: str, pad: int = 0, **attributes: str) -> dict[str, Any]:
    return {
        "PK": {"S": "p"},
        "SK": {"S": sk},
        "pad": {"S": "x" * pad},
        **{k: {"S": v} for k, v in attributes.items()},
    }


def test_writes_are_priced_on_their_images_and_the_index_entries_they_change(table: Any) -> None:
    client, meter = table
    name = meter.table_name
    with meter.measure() as usage:
        client.put_item(TableName=name, Item=item("a", 1500, GK="g", GS="1", kept="k"))
    assert dict(usage.writes) == {TABLE: 2, "GSI": 1}  # 1.5 KB item; its index entry is small

    def update(expression: str, **values: str) -> Any:
        with meter.measure() as usage:
            client.update_item(
                TableName=name,
                Key={"PK": {"S": "p"}, "SK": {"S": "a"}},
                UpdateExpression=expression,
                ExpressionAttributeValues={f":{k}": {"S": v} for k, v in values.items()},
            )
        return dict(usage.writes)

    assert update("SET note = :v", v="o") == {TABLE: 2}  # not projected: the index is untouched
    assert update("SET kept = :v", v="k2") == {TABLE: 2, "GSI": 1}
    assert update("SET GS = :v", v="2") == {TABLE: 2, "GSI": 2}  # the entry moves: delete + put
    with meter.measure() as usage, pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(TableName=name, Item=item("a"), ConditionExpression="attribute_not_exists(PK)")
    assert dict(usage.writes) == {TABLE: 2}  # refused, priced on the item it found


def test_a_transaction_doubles_the_table_units_and_prices_its_condition_checks(table: Any) -> None:
    client, meter = table
    name = meter.table_name
    client.put_item(TableName=name, Item=item("checked", 2500))
    with meter.measure() as usage:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": item("b", 100, GK="g", GS="1")}},
                {"Put": {"TableName": name, "Item": item("c", 100)}},
                {
                    "ConditionCheck": {
                        "TableName": name,
                        "Key": {"PK": {"S": "p"}, "SK": {"S": "checked"}},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )
    # Two small puts (2 x 2) and a check of a 2.5 KB item (3 x 2); one index entry added (1).
    assert dict(usage.writes) == {TABLE: 10, "GSI": 1}


def test_reads_are_priced_per_item_or_on_what_a_query_evaluated(table: Any) -> None:
    client, meter = table
    name = meter.table_name
    for n in range(6):
        client.put_item(TableName=name, Item=item(f"q{n}", 2000, GK="g", GS=str(n), kept="k"))
    key = {"PK": {"S": "p"}, "SK": {"S": "q0"}}
    with meter.measure() as usage:
        client.get_item(TableName=name, Key=key, ConsistentRead=True)
        client.get_item(TableName=name, Key={"PK": {"S": "p"}, "SK": {"S": "none"}})
    assert usage.reads[TABLE] == 1 + 0.5  # a missing item costs the minimum too
    with meter.measure() as usage:
        # The filter keeps nothing, but all six items (about 12 KB) were read: 3 units.
        found = client.query(
            TableName=name,
            KeyConditionExpression="PK = :p AND begins_with(SK, :q)",
            FilterExpression="SK = :none",
            ProjectionExpression="SK",
            ExpressionAttributeValues={":p": {"S": "p"}, ":q": {"S": "q"}, ":none": {"S": "none"}},
            ConsistentRead=True,
        )
    assert found["Items"] == []
    assert dict(usage.reads) == {TABLE: 3}
    with meter.measure() as usage:
        # The index projects keys and `kept` only: six small entries, one unit, halved.
        client.query(
            TableName=name,
            IndexName="GSI",
            KeyConditionExpression="GK = :g",
            ExpressionAttributeValues={":g": {"S": "g"}},
        )
    assert dict(usage.reads) == {"GSI": 0.5}
    with meter.measure() as usage:
        client.batch_get_item(RequestItems={name: {"Keys": [key, {"PK": {"S": "p"}, "SK": {"S": "q1"}}]}})
    assert dict(usage.reads) == {TABLE: 1}  # two items, each rounded to 4 KB, eventually consistent


def test_the_capacity_benchmark_measures_every_route_of_the_api() -> None:
    from bench.route_units import Fleet, requests  # noqa: PLC0415
    from shared.routes import ROUTES  # noqa: PLC0415

    fleet = Fleet(api=None, assets=[{"id": "a"}], reading_target={"id": "t"}, plain={"id": "p"})  # type: ignore[arg-type]
    measured = {request.route for request in requests(fleet)}
    assert measured == {(route.method, route.path) for route in ROUTES}
