"""The work-order benchmark's own pieces (bench/work_orders.py): how it counts items written and
read, that the orders it loads are the ones the API stores, and that its quicker moto Queries
answer exactly what moto's own do."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from bench import work_orders
from bench.dynamodb_calls import CallCounter
from bench.stack import InProcessClient, Stack
from local.gateway import LocalGateway
from shared.data.dynamo import TABLE_NAME, client


def test_items_written_are_one_per_single_write_and_the_parts_of_a_batch_or_transaction() -> None:
    calls = Counter({"PutItem": 2, "UpdateItem": 1, "DeleteItem": 1, "TransactWriteItems": 2, "GetItem": 3})
    items = Counter({"TransactWriteItems": 9, "BatchWriteItem": 25, "BatchGetItem": 40})
    assert work_orders.items_written(calls, items) == 2 + 1 + 1 + 9 + 25


def test_items_written_counts_real_calls_on_the_shared_client() -> None:
    pk = f"BENCH#{uuid.uuid4().hex}"

    def put(sk: str) -> dict[str, Any]:
        return {"Put": {"TableName": TABLE_NAME, "Item": {"PK": {"S": pk}, "SK": {"S": sk}}}}

    with CallCounter(client) as counter:
        client.put_item(**put("a")["Put"])
        client.update_item(
            TableName=TABLE_NAME,
            Key={"PK": {"S": pk}, "SK": {"S": "a"}},
            UpdateExpression="SET n = :n",
            ExpressionAttributeValues={":n": {"N": "1"}},
        )
        client.transact_write_items(TransactItems=[put("b"), put("c"), put("d")])  # type: ignore[list-item]
        client.batch_write_item(
            RequestItems={TABLE_NAME: [{"PutRequest": {"Item": put(sk)["Put"]["Item"]}} for sk in ("e", "f")]}
        )
        client.get_item(TableName=TABLE_NAME, Key={"PK": {"S": pk}, "SK": {"S": "a"}})
    assert work_orders.items_written(counter.calls, counter.items) == 1 + 1 + 3 + 2


def test_items_read_are_what_a_query_scanned_and_what_a_get_found() -> None:
    assert work_orders.items_read("Query", {"Count": 2, "ScannedCount": 51}) == 51
    assert work_orders.items_read("GetItem", {"Item": {"PK": {"S": "p"}}}) == 1
    assert work_orders.items_read("GetItem", {}) == 0
    assert work_orders.items_read("BatchGetItem", {"Responses": {"t": [{}, {}], "u": [{}]}}) == 3
    assert work_orders.items_read("TransactGetItems", {"Responses": [{"Item": {"PK": {"S": "p"}}}, {}]}) == 1
    assert work_orders.items_read("PutItem", {}) == 0


def _account(gateway: LocalGateway, account_id: str) -> work_orders.Account:
    """A small account of the loaded kind: two assets, a customer site and a depot."""
    from shared.services.work_order_catalogue import require_site  # noqa: PLC0415

    api = InProcessClient(Stack(None, gateway), account_id)
    account = work_orders.Account(api, account_id, "")
    account.assets = [
        api.request("POST", "/assets", {"name": f"Truck {n}", "type": "vehicle"}).json() for n in range(2)
    ]
    for kind, into in (("customer", account.sites), ("depot", account.depots)):
        site = api.request("POST", "/sites", {"name": f"{kind} site", "kind": kind, "number": "S-1"}).json()
        into.append(require_site(account_id, site["id"], "site_id"))
    return account


def _spec(number: int, status: str, **fields: Any) -> work_orders.Spec:
    defaults: dict[str, Any] = {
        "title": "Hydraulic leak repair",
        "type": "repair",
        "priority": "high",
        "assignee": number,
        "asset": number % 2,
        "customer": 3,
        "site": 0,
        "depot": 0,
        "planned_start": None,
    }
    return work_orders.Spec(number=number, status=status, **{**defaults, **fields})


def test_the_loaded_orders_are_stored_as_the_api_stores_them(gateway: LocalGateway, account: str) -> None:
    shop = _account(gateway, account)
    now = datetime.now(UTC).replace(microsecond=0)
    sample = [
        _spec(1, "new"),
        _spec(2, "in_progress", planned_start=now + timedelta(days=3)),
        _spec(3, "on_hold", planned_start=now - timedelta(days=1)),
        _spec(
            4, "closed_complete", closed_at=now - timedelta(days=20), planned_start=now - timedelta(days=21)
        ),
        _spec(5, "closed_incomplete", closed_at=now - timedelta(days=2), reason_code="no_access"),
    ]
    assert work_orders.check_sample(shop, sample, boto3.client("dynamodb")) == []
    # The quicker builder makes the same items as the product's order_writes.
    made = {"id": "wo_01M8E5285W5CP63GV1V6V069QF", "created_at": "x", "updated_at": "y", "version": 2}
    for spec in sample:
        order = work_orders.build_order(shop, spec, made)
        assert work_orders.order_items(shop, order) == work_orders.stored_items(shop, order)
    # Loaded straight into moto, an order reads back through the API with its copies' lists.
    table = work_orders.MotoTable()
    rest = [
        _spec(6, "scheduled", planned_start=now + timedelta(days=5)),
        _spec(7, "closed_complete", closed_at=now),
    ]
    assert work_orders.load(shop, rest, now, table) == []
    assert table.written == 2 * 6 + 1  # the order and 5 list copies each, and the counter
    listed = shop.api.request("GET", "/work-orders?number=WO-000006").json()["items"]
    assert [order["status"] for order in listed] == ["scheduled"]
    read = shop.api.request("GET", f"/work-orders/{listed[0]['id']}").json()
    assert read["customer"] == {"number": "C-003", "name": "Customer 03 Logistics"}
    mine = shop.api.request("GET", "/work-orders?assignee=tech-06").json()["items"]
    assert [order["number"] for order in mine] == [6]
    assert shop.api.request("POST", "/work-orders", {"title": "Next"}).json()["number"] == 8


def _pages(request: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every page of a Query: items, Count, ScannedCount and LastEvaluatedKey."""
    reader = boto3.client("dynamodb")
    pages = []
    request = dict(request)
    while True:
        answer = reader.query(**request)
        pages.append(
            (answer["Items"], answer["Count"], answer["ScannedCount"], answer.get("LastEvaluatedKey"))
        )
        if "LastEvaluatedKey" not in answer:
            return pages
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def test_quick_queries_answer_what_moto_answers() -> None:
    writer = boto3.client("dynamodb")
    tag = uuid.uuid4().hex
    for n in range(30):
        for owner in (tag, f"{tag}-other"):
            item = {
                "PK": {"S": f"Q#{owner}"},
                "SK": {"S": f"{n:03d}"},
                "GSI7PK": {"S": f"Q#{owner}"},
                "GSI7SK": {"S": f"{(n * 7) % 30:03d}"},
                "even": {"BOOL": n % 2 == 0},
            }
            writer.put_item(TableName=TABLE_NAME, Item=item)
    values = {":p": {"S": f"Q#{tag}"}, ":t": {"BOOL": True}}
    requests = [
        {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": values[":p"]}, "Limit": 7},
        {
            "KeyConditionExpression": "PK = :p",
            "FilterExpression": "even = :t",
            "ExpressionAttributeValues": values,
            "Limit": 8,
            "ScanIndexForward": False,
        },
        {
            "IndexName": "GSI7",
            "KeyConditionExpression": "GSI7PK = :p",
            "ExpressionAttributeValues": {":p": values[":p"]},
            "Limit": 9,
        },
        {
            "IndexName": "GSI7",
            "KeyConditionExpression": "GSI7PK = :p",
            "FilterExpression": "even = :t",
            "ExpressionAttributeValues": values,
            "Limit": 6,
            "ScanIndexForward": False,
        },
    ]
    for asked in requests:
        request = {"TableName": TABLE_NAME, **asked}
        expected = _pages(request)
        with work_orders.QuickQueries() as quick:
            assert _pages(request) == expected
            with quick.read_only():
                assert _pages(request) == expected
        assert len(expected) > 1  # more than one page: the cursors were followed
