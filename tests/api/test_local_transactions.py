"""The local moto's TransactWriteItems backs up only the items a transaction touches
(local/moto_patches.py): a refused transaction leaves the table as it was, indexes included, an
accepted one applies every action, and moto answers as its own method does."""

import copy
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.moto_patches import transactions_patched
from local.settings import LOCAL_REGION

Item = dict[str, Any]


@pytest.fixture
def client() -> Any:
    return boto3.client("dynamodb")


@pytest.fixture
def table() -> str:
    return os.environ["TABLE_NAME"]


@pytest.fixture
def pk() -> str:
    return f"TX#{uuid.uuid4().hex}"


def key(pk: str, sk: str) -> Item:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def put(client: Any, table: str, pk: str, sk: str, **attrs: str) -> Item:
    item = {**key(pk, sk), **{name: {"S": value} for name, value in attrs.items()}}
    client.put_item(TableName=table, Item=item)
    return item


def get(client: Any, table: str, pk: str, sk: str) -> Item | None:
    return client.get_item(TableName=table, Key=key(pk, sk), ConsistentRead=True).get("Item")


def partition(client: Any, table: str, pk: str) -> list[Item]:
    response = client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
        ConsistentRead=True,
    )
    return sorted(response["Items"], key=lambda item: item["SK"]["S"])


def index(client: Any, table: str, name: str, value: str) -> list[Item]:
    response = client.query(
        TableName=table,
        IndexName=name,
        KeyConditionExpression=f"{name}PK = :v",
        ExpressionAttributeValues={":v": {"S": value}},
    )
    return response["Items"]


def update(table: str, pk: str, sk: str, expression: str, values: Item) -> Item:
    return {
        "Update": {
            "TableName": table,
            "Key": key(pk, sk),
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
    }


def refused(client: Any, actions: list[Item]) -> ClientError:
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(TransactItems=actions)
    return raised.value


def four_actions(table: str, pk: str, check: str) -> list[Item]:
    """An update, a put of a new item, a delete and a condition check: ``check`` is its
    condition, on an item that exists."""
    values = {":v": {"S": "new"}, ":g": {"S": f"{pk}#new"}}
    return [
        update(table, pk, "updated", "SET v = :v, GSI1PK = :g", values),
        {"Put": {"TableName": table, "Item": {**key(pk, "put"), "GSI2PK": {"S": pk}, "GSI2SK": {"S": "x"}}}},
        {"Delete": {"TableName": table, "Key": key(pk, "deleted")}},
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": key(pk, "checked"),
                "ConditionExpression": check,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
    ]


def seed(client: Any, table: str, pk: str) -> None:
    put(client, table, pk, "updated", v="old", GSI1PK=f"{pk}#old")
    put(client, table, pk, "deleted", v="gone?")
    put(client, table, pk, "checked", v="checked")
    put(client, table, pk, "untouched", v="stays")


def test_the_patch_is_in_effect_for_the_installed_moto() -> None:
    assert transactions_patched()


def test_a_transaction_does_not_copy_the_table(
    client: Any, table: str, pk: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto's own method deep-copies the table it names, once an action, to put the copy back
    on failure."""
    from moto.dynamodb.models.table import Table  # noqa: PLC0415

    seed(client, table, pk)
    tables_seen, copies = 0, 0
    deepcopy = copy.deepcopy

    def spy(value: Any, memo: Any = None) -> Any:
        nonlocal tables_seen, copies
        result = deepcopy(value, memo)
        if isinstance(value, Table):
            tables_seen += 1
            copies += result is not value
        return result

    monkeypatch.setattr(copy, "deepcopy", spy)
    refused(client, four_actions(table, pk, "attribute_not_exists(PK)"))
    client.transact_write_items(TransactItems=four_actions(table, pk, "attribute_exists(PK)"))
    monkeypatch.undo()
    assert tables_seen >= 2, "moto no longer copies the table where it did: see local/moto_patches.py"
    assert copies == 0


@pytest.mark.parametrize("failing", range(4))
def test_a_refused_transaction_leaves_every_item_as_it_was(
    client: Any, table: str, pk: str, failing: int
) -> None:
    seed(client, table, pk)
    before = partition(client, table, pk)
    actions = four_actions(table, pk, "attribute_exists(PK)")
    # The refused action is anywhere: moto still applies the actions after it, then rolls back.
    kind, action = next(iter(actions[failing].items()))
    action["ConditionExpression"] = "attribute_not_exists(PK)" if kind != "Put" else "attribute_exists(PK)"
    action["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"

    error = refused(client, actions)

    assert error.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = error.response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == [
        "ConditionalCheckFailed" if n == failing else "None" for n in range(4)
    ]
    old = {item["SK"]["S"]: item for item in before}
    if kind != "Put":
        assert reasons[failing]["Item"] == old[action["Key"]["SK"]["S"]]
    assert partition(client, table, pk) == before
    assert get(client, table, pk, "put") is None
    assert get(client, table, pk, "deleted") == old["deleted"]


def test_a_refused_transaction_leaves_no_trace_in_the_indexes(client: Any, table: str, pk: str) -> None:
    seed(client, table, pk)
    refused(client, four_actions(table, pk, "attribute_not_exists(PK)"))
    assert index(client, table, "GSI1", f"{pk}#new") == []
    assert [item["SK"]["S"] for item in index(client, table, "GSI1", f"{pk}#old")] == ["updated"]
    assert index(client, table, "GSI2", pk) == []


def test_a_refused_put_in_a_new_partition_leaves_no_partition(client: Any, table: str, pk: str) -> None:
    put(client, table, pk, "checked")  # with no v
    check = {"TableName": table, "Key": key(pk, "checked"), "ConditionExpression": "attribute_exists(v)"}
    refused(
        client, [{"Put": {"TableName": table, "Item": key(f"{pk}#new", "put")}}, {"ConditionCheck": check}]
    )
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415
    from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: PLC0415

    # moto's read of a missing key makes its partition; the rollback takes it away again
    items = dynamodb_backends["123456789012"][LOCAL_REGION].tables[table].items
    assert DynamoType({"S": f"{pk}#new"}) not in items


def test_an_accepted_transaction_applies_every_action(client: Any, table: str, pk: str) -> None:
    seed(client, table, pk)
    client.transact_write_items(TransactItems=four_actions(table, pk, "attribute_exists(PK)"))
    names = [item["SK"]["S"] for item in partition(client, table, pk)]
    assert names == ["checked", "put", "untouched", "updated"]
    new = {"v": {"S": "new"}, "GSI1PK": {"S": f"{pk}#new"}}
    assert get(client, table, pk, "updated") == {**key(pk, "updated"), **new}
    assert [item["SK"]["S"] for item in index(client, table, "GSI1", f"{pk}#new")] == ["updated"]
    assert index(client, table, "GSI1", f"{pk}#old") == []


def test_a_rollback_keeps_items_written_around_it(client: Any, table: str, pk: str) -> None:
    seed(client, table, pk)

    def refuse(_n: int) -> None:
        refused(client, four_actions(table, pk, "attribute_not_exists(PK)"))

    def write(n: int) -> None:
        put(boto3.client("dynamodb"), table, f"{pk}#other", f"{n:03}")

    with ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(call, n) for n in range(20) for call in (refuse, write)]:
            done.result()
    assert len(partition(client, table, f"{pk}#other")) == 20
    assert get(client, table, pk, "untouched") == {**key(pk, "untouched"), "v": {"S": "stays"}}


def accepted(table: str, pk: str) -> list[Item]:
    return four_actions(table, pk, "attribute_exists(PK)")


BIG = {"S": "x" * 300_000}
# name -> (the error expected, the transaction), each on a seeded partition
TRANSACTIONS: dict[str, tuple[str | None, Callable[[str, str], list[Item]]]] = {
    "accepted": (None, accepted),
    "a condition": (
        "TransactionCanceledException",
        lambda table, pk: four_actions(table, pk, "attribute_not_exists(PK)"),
    ),
    "one item twice": (
        "ValidationException",
        lambda table, pk: [*accepted(table, pk), {"Delete": {"TableName": table, "Key": key(pk, "updated")}}],
    ),
    "101 actions": (
        "ValidationException",
        lambda table, pk: [
            {"ConditionCheck": {"TableName": table, "Key": key(pk, f"{n}"), "ConditionExpression": "v = v"}}
            for n in range(101)
        ],
    ),
    "an oversized put": (
        "ValidationException",
        lambda table, pk: [
            *accepted(table, pk)[:1],
            {"Put": {"TableName": table, "Item": {**key(pk, "big"), "a": BIG, "b": BIG}}},
        ],
    ),
    "an oversized update": (
        "ValidationException",
        lambda table, pk: [
            *accepted(table, pk)[1:2],
            update(table, pk, "updated", "SET a = :big, b = :big", {":big": BIG}),
        ],
    ),
    "an update of a missing number": (
        "ValidationException",
        lambda table, pk: [
            *accepted(table, pk)[:2],
            update(table, pk, "missing", "SET n = n + :one", {":one": {"N": "1"}}),
        ],
    ),
}


@pytest.fixture
def outcome(client: Any, table: str) -> Callable[[str], str]:
    """What moto answers to a transaction, and the partition and index after it."""

    def run(name: str) -> str:
        pk = f"TX#{uuid.uuid4().hex}"
        seed(client, table, pk)
        expected, transaction = TRANSACTIONS[name]
        try:
            client.transact_write_items(TransactItems=transaction(table, pk))
            answer: Any = None
        except ClientError as error:
            answer = (error.response["Error"], error.response.get("CancellationReasons"))
            assert error.response["Error"]["Code"] == expected
        assert expected is None or answer is not None
        state = partition(client, table, pk), index(client, table, "GSI1", f"{pk}#new")
        return repr((answer, state)).replace(pk, "<pk>")

    return run


@pytest.mark.parametrize("name", TRANSACTIONS)
def test_moto_answers_and_stores_as_its_own_method_does(
    name: str, outcome: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.dynamodb.models import DynamoDBBackend  # noqa: PLC0415

    patched = outcome(name)
    own = DynamoDBBackend.transact_write_items.__wrapped__  # type: ignore[attr-defined]
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", own)
    assert outcome(name) == patched
