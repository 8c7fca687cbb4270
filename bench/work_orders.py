"""Work orders (issue 14): what a change costs, and what a list page reads at 20,000 orders.

1. **Calls and items written** per request, on a warm function (the second round of each):
   opening an order of 1 asset, 1 task and 1 assignee, moving it to another status, closing it
   complete. Calls are counted with section 3's ``CallCounter``; items written are the items of
   the writes (PutItem, UpdateItem, DeleteItem one each, TransactWriteItems its actions,
   BatchWriteItem its requests); write units by section 2's meter (``bench/capacity.py``).
2. **Items read by a page of 50** of each indexed list (docs/data-model.md W6-W9) in an account
   of 20,000 orders: the ``ScannedCount`` of every Query the request makes. Target: the page
   and one more. ``q`` (a filter on the whole list) is reported as the items it examined.

The 20,000 orders are built in this process with the product's own builders
(``work_order_state.filter_fields``, ``work_orders_repo.with_keys``, ``values_of`` for the list
copies, checked against ``order_writes``) and put straight into moto's memory: through the API,
or moto's BatchWriteItem, they would take many minutes. A sample of them is made through the API
first and compared item for item (the order and each list copy) with what the builder makes of
the same order; loaded orders are then read back through the API (``GET /work-orders/{id}``, and
every list page below validates each order it returns). They have no events or history entries,
which no list reads. Orders are spread over 20 assignees, 50 assets, 20 customers, 10 sites, 3
depots, 4 open and 2 closed statuses, open ones planned over the next months, closed ones over
the last year.
"""

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from bench.dynamodb_calls import CallCounter
from bench.report import Section, table
from bench.stack import InProcessClient, Stack, new_account

# Issue 14's targets: DynamoDB calls and items written per request.
CALL_TARGETS = {"create": (5, 8), "status": (4, 6), "close": (6, 9)}
ORDERS = 20_000
PAGE = 50
PAGE_TARGET = PAGE + 1  # items read by a page: the page and one more
SAMPLE = 12  # orders made through the API, compared with the builder's
ASSIGNEES, ASSETS, CUSTOMERS, SITES, DEPOTS = 20, 50, 20, 10, 3
OPEN_STATUSES = ("new", "scheduled", "in_progress", "on_hold")
TITLES = (
    "Oil change",
    "Brake inspection",
    "Tyre change",
    "Annual service",
    "Hydraulic leak repair",
    "Tachograph calibration",
    "Lights and wipers",
    "Air conditioning service",
)
WRITES_OF_ONE = ("PutItem", "UpdateItem", "DeleteItem")
WRITES_OF_MANY = ("TransactWriteItems", "BatchWriteItem")


def items_written(calls: Counter[str], items: Counter[str]) -> int:
    """Items a request wrote, from a ``CallCounter``'s calls and items per operation: one per
    PutItem, UpdateItem and DeleteItem, the actions of a TransactWriteItems, the requests of a
    BatchWriteItem."""
    return sum(calls[name] for name in WRITES_OF_ONE) + sum(items[name] for name in WRITES_OF_MANY)


def items_read(operation: str, parsed: dict[str, Any]) -> int:
    """Items one call read: a Query's ``ScannedCount`` (before its filter), the item of a
    GetItem, the items found by a BatchGetItem or TransactGetItems."""
    if operation == "Query":
        return int(parsed.get("ScannedCount", 0))
    if operation == "GetItem":
        return 1 if parsed.get("Item") else 0
    if operation == "BatchGetItem":
        return sum(len(found) for found in parsed.get("Responses", {}).values())
    if operation == "TransactGetItems":
        return sum(1 for response in parsed.get("Responses", []) if response.get("Item"))
    return 0


class ReadCounter:
    """Items read and calls made on the hooked client while it is on."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.items = 0
        self.calls: list[str] = []

    def _after(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.items += items_read(model.name, parsed)
        self.calls.append(model.name)

    @contextmanager
    def counting(self) -> Iterator["ReadCounter"]:
        self.items, self.calls = 0, []
        self.client.meta.events.register("after-call.dynamodb", self._after)
        try:
            yield self
        finally:
            self.client.meta.events.unregister("after-call.dynamodb", self._after)


# --- 1. calls and items written ---------------------------------------------------------------


@dataclass
class Change:
    label: str
    key: str  # of CALL_TARGETS
    calls: int
    written: int
    operations: str
    usage: Any


def _order_with_a_task(api: InProcessClient, n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """An asset with an odometer reading and one open distance task on it."""
    asset = api.request(
        "POST", "/assets", {"name": f"Van {n}", "type": "vehicle", "meters": ["odometer"]}
    ).json()
    reading = {"time": "2025-06-01T00:00:00Z", "odometer_km": 40_000}
    api.request("POST", f"/assets/{asset['id']}/readings", reading)
    body = {
        "asset_id": asset["id"],
        "name": "Oil change",
        "conditions": {"distance": {"limit_km": 15_000, "notify_before_km": 1_000}},
        "repeat": True,
    }
    return asset, api.request("POST", "/tasks", body).json()


def _changes(stack: Stack) -> list[Change]:
    """Open, move and close one order; the second round is the one reported."""
    import boto3  # noqa: PLC0415

    from bench.capacity import CapacityMeter  # noqa: PLC0415
    from shared.data.dynamo import TABLE_NAME, client  # noqa: PLC0415

    api = InProcessClient(stack, new_account("orders-calls"))
    meter = CapacityMeter(client, boto3.client("dynamodb"), TABLE_NAME)
    found: list[Change] = []
    with CallCounter(client) as counter, meter:

        def measured(label: str, key: str, send: Callable[[], Any]) -> Any:
            counter.reset()
            with meter.measure() as usage:
                answer = send()
            calls, operations, _ = counter.snapshot()
            found.append(
                Change(label, key, calls, items_written(counter.calls, counter.items), operations, usage)
            )
            return answer

        def one_round(n: int) -> None:
            found.clear()
            asset, task = _order_with_a_task(api, n)
            body = {
                "title": f"Service {n}",
                "asset_ids": [asset["id"]],
                "task_ids": [task["id"]],
                "assignees": [{"id": "tech-1", "name": "Technician 1"}],
            }
            order = measured(
                "`POST /work-orders` (1 asset, 1 task, 1 assignee)",
                "create",
                lambda: api.request("POST", "/work-orders", body).json(),
            )
            path = f"/work-orders/{order['id']}"
            measured(
                "`POST /work-orders/{id}/status` (new to scheduled)",
                "status",
                lambda: api.request("POST", f"{path}/status", {"status": "scheduled"}),
            )
            measured(
                "`POST /work-orders/{id}/close` complete (the same order)",
                "close",
                lambda: api.request("POST", f"{path}/close", {"outcome": "complete"}),
            )

        one_round(0)  # warms the functions
        one_round(1)
    return found


def _change_rows(changes: list[Change]) -> tuple[list[list[object]], list[str]]:
    rows: list[list[object]] = []
    failures = []
    for change in changes:
        most_calls, most_written = CALL_TARGETS[change.key]
        ok = change.calls <= most_calls and change.written <= most_written
        if not ok:
            failures.append(
                f"{change.label}: {change.calls} calls, {change.written} items written "
                f"(target <= {most_calls} / <= {most_written}): {change.operations}"
            )
        usage = change.usage
        rows.append(
            [
                change.label,
                change.calls,
                f"<= {most_calls}",
                change.written,
                f"<= {most_written}",
                change.operations,
                f"{usage.write_units:g} ({usage.describe_writes()})",
                f"{usage.read_units:g}",
                "PASS" if ok else "FAIL",
            ]
        )
    return rows, failures


# --- 2. 20,000 orders --------------------------------------------------------------------------


@dataclass
class Spec:
    """One order of the loaded account, as its fields are chosen."""

    number: int
    title: str
    type: str
    priority: str
    assignee: int
    asset: int
    customer: int
    site: int
    depot: int
    status: str
    planned_start: datetime | None
    closed_at: datetime | None = None
    reason_code: str | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


def specs(count: int, now: datetime, seed: int = 14) -> list[Spec]:
    """``count`` orders numbered from 1, spread over the dimensions, statuses and dates."""
    rng = random.Random(seed)
    chosen = []
    for number in range(1, count + 1):
        closed = rng.random() < 0.4
        status = (
            rng.choice(("closed_complete",) * 3 + ("closed_incomplete",))
            if closed
            else rng.choice(OPEN_STATUSES)
        )
        closed_at = now - timedelta(days=rng.uniform(1, 365), seconds=number) if closed else None
        if closed_at is not None:
            planned: datetime | None = closed_at - timedelta(days=rng.uniform(0, 14))
        elif rng.random() < 0.9:
            planned = now + timedelta(days=rng.uniform(-20, 120))
        else:
            planned = None  # not planned yet
        chosen.append(
            Spec(
                number=number,
                title=rng.choice(TITLES),
                type=rng.choice(("install", "inspection", "maintenance", "repair")),
                priority=rng.choice(("low", "normal", "normal", "high", "urgent")),
                assignee=rng.randrange(ASSIGNEES),
                asset=rng.randrange(ASSETS),
                customer=rng.randrange(CUSTOMERS),
                site=rng.randrange(SITES),
                depot=rng.randrange(DEPOTS),
                status=status,
                planned_start=planned.replace(microsecond=0) if planned else None,
                closed_at=closed_at.replace(microsecond=0) if closed_at else None,
                reason_code=rng.choice(("no_access", "parts_missing"))
                if status == "closed_incomplete"
                else None,
            )
        )
    return chosen


def _assignee(k: int) -> dict[str, Any]:
    return {"id": f"tech-{k:02d}", "name": f"Technician {k:02d}"}


def _customer(k: int) -> dict[str, str]:
    return {"number": f"C-{k:03d}", "name": f"Customer {k:02d} Logistics"}


@dataclass
class Account:
    """The loaded account's API client, id, and what its orders name."""

    api: InProcessClient
    id: str
    by: str  # the user the API's writes record
    assets: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)  # as an order copies them
    depots: list[dict[str, Any]] = field(default_factory=list)


def _account(stack: Stack) -> Account:
    from shared.services.work_order_catalogue import require_site  # noqa: PLC0415

    account_id = new_account("orders")
    api = InProcessClient(stack, account_id)
    account = Account(api, account_id, "")
    account.assets = [
        api.request("POST", "/assets", {"name": f"Truck {n:02d}", "type": "vehicle"}).json()
        for n in range(ASSETS)
    ]
    for kind, count, into in (("customer", SITES, account.sites), ("depot", DEPOTS, account.depots)):
        for n in range(count):
            body = {
                "name": f"{kind.title()} site {n}",
                "number": f"{kind[0].upper()}-{n}",
                "kind": kind,
                "address": {"line1": f"Dock {n}", "city": "Hamburg", "country": "DE"},
            }
            made = api.request("POST", "/sites", body).json()
            into.append(require_site(account.id, made["id"], "site_id"))  # as the order code copies it
    return account


def build_order(account: Account, spec: Spec, made: dict[str, Any]) -> dict[str, Any]:
    """The stored order (without keys) the service writes for ``spec``; ``made`` gives what the
    API decides itself: ``id``, ``created_at``, ``updated_at``, ``version``."""
    from shared.clock import to_iso  # noqa: PLC0415

    asset = account.assets[spec.asset]
    order: dict[str, Any] = {
        "id": made["id"],
        "number": spec.number,
        "title": spec.title,
        "type": spec.type,
        "priority": spec.priority,
        "state": "closed" if spec.closed else "open",
        "status": spec.status,
        "customer": _customer(spec.customer),
        "site": account.sites[spec.site],
        "depot": account.depots[spec.depot],
        "assignees": [{**_assignee(spec.assignee), "primary": True}],
        "asset_ids": [asset["id"]],
        "assets": [{"id": asset["id"], "name": asset["name"]}],
        "tasks": [],
        "service_codes": [],
        "planned_start": to_iso(spec.planned_start) if spec.planned_start else None,
        "created_at": made["created_at"],
        "updated_at": made["updated_at"],
        "created_by": account.by,
        "version": made["version"],
    }
    if spec.closed or spec.status == "in_progress":  # closed ones went through in_progress
        order["actual_start"] = made["created_at"]
    if spec.closed_at is not None:
        at = to_iso(spec.closed_at)
        outcome = "complete" if spec.status == "closed_complete" else "incomplete"
        order["closed"] = {"outcome": outcome, "reason_code": spec.reason_code, "at": at, "by": account.by}
        order.update(reopen_to="in_progress", actual_end=at)
    return order


def stored_items(account: Account, order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order item and its list copies, typed, as the order's transaction puts them."""
    from shared.data import work_orders_repo  # noqa: PLC0415
    from shared.services.work_order_state import filter_fields  # noqa: PLC0415

    keyed = work_orders_repo.with_keys(account.id, {**order, **filter_fields(order)})
    return [dict(action["Put"]["Item"]) for action in work_orders_repo.order_writes(account.id, None, keyed)]


def _through_api(account: Account, spec: Spec) -> dict[str, Any]:
    """Make ``spec``'s order through the API (numbers 1, 2, ... of a fresh account)."""
    api = account.api
    body: dict[str, Any] = {
        "title": spec.title,
        "type": spec.type,
        "priority": spec.priority,
        "status": "in_progress" if spec.closed else spec.status,
        "customer": _customer(spec.customer),
        "site_id": account.sites[spec.site]["id"],
        "depot_id": account.depots[spec.depot]["id"],
        "assignees": [_assignee(spec.assignee)],
        "asset_ids": [account.assets[spec.asset]["id"]],
    }
    if spec.planned_start is not None:
        body["planned_start"] = spec.planned_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    order = api.request("POST", "/work-orders", body).json()
    if spec.closed_at is not None:
        close: dict[str, Any] = {
            "outcome": "complete" if spec.status == "closed_complete" else "incomplete",
            "at": spec.closed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if spec.reason_code:
            close["reason_code"] = spec.reason_code
        order = api.request("POST", f"/work-orders/{order['id']}/close", close).json()
    if order["number"] != spec.number:
        raise RuntimeError(f"the sample's order {spec.number} got number {order['number']}")
    return dict(order)


def _stored(reader: Any, items: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The items now stored under the keys of ``items``, plain."""
    from shared.data.dynamo import TABLE_NAME, from_item  # noqa: PLC0415

    found = []
    for item in items:
        answer = reader.get_item(
            TableName=TABLE_NAME, Key={"PK": item["PK"], "SK": item["SK"]}, ConsistentRead=True
        )
        found.append(from_item(answer["Item"]) if "Item" in answer else None)
    return found


def check_sample(account: Account, sample: list[Spec], reader: Any) -> list[str]:
    """Make the sample through the API; what differs between its stored items and the
    builder's for the same orders (nothing, when the builder is right)."""
    from shared.data import keys  # noqa: PLC0415
    from shared.data.dynamo import from_item  # noqa: PLC0415

    differences = []
    for spec in sample:
        order_id = _through_api(account, spec)["id"]
        key = {"PK": {"S": keys.order_pk(account.id, order_id)}, "SK": {"S": keys.ORDER_SK}}
        [made] = _stored(reader, [key])  # what the API decided: id, times, version, its user
        assert made is not None
        account.by = made["created_by"]
        built = stored_items(account, build_order(account, spec, made))
        for expected, stored in zip(built, _stored(reader, built), strict=True):
            plain = from_item(expected)
            if stored != plain:
                names = sorted(
                    name
                    for name in set(plain) | set(stored or {})
                    if plain.get(name) != (stored or {}).get(name)
                )
                differences.append(f"order {spec.number}, {plain['PK'].split('#', 2)[-1]}: {names}")
    return differences


def order_items(account: Account, order: dict[str, Any]) -> list[dict[str, Any]]:
    """The same items as ``stored_items`` (``load`` checks it on every 100th order), made faster:
    the order serialized once and its list copies (``values_of``) made from it, typed."""
    from shared.data import keys, work_orders_repo  # noqa: PLC0415
    from shared.data.dynamo import to_item  # noqa: PLC0415
    from shared.services.work_order_state import filter_fields  # noqa: PLC0415

    keyed = work_orders_repo.with_keys(account.id, {**order, **filter_fields(order)})
    typed = to_item(keyed)
    body = {name: value for name, value in typed.items() if not name.startswith("GSI")}
    number = {"S": keys.order_number_key(int(order["number"]))}
    copies = [
        {**body, "PK": {"S": keys.orders_by_pk(account.id, dimension, value)}, "SK": number}
        for dimension, value in sorted(work_orders_repo.values_of(keyed))
    ]
    return [typed, *copies]


class MotoTable:
    """Puts typed items straight into the local table in moto's memory, as section 6 loads its
    tasks. Through moto's HTTP API a BatchWriteItem of 25 items took about 150 ms here
    (moto sizes the whole item again for each attribute it sets): 20,000 orders would take
    minutes. Nothing else writes meanwhile; the items are small, so moto's 400 KB check is not
    needed."""

    def __init__(self) -> None:
        from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

        from local.settings import LOCAL_REGION  # noqa: PLC0415
        from shared.data.dynamo import TABLE_NAME  # noqa: PLC0415

        self.table = dynamodb_backends["123456789012"][LOCAL_REGION].get_table(TABLE_NAME)
        self.written = 0

    def put(self, items: list[dict[str, Any]]) -> None:
        """Put ``items``; a value object they share (an order's, in its list copies) becomes one
        moto value they share too: moto changes values in place only for an UpdateItem, and
        orders and their copies are only ever put whole."""
        from moto.dynamodb.models.dynamo_type import DynamoType, Item  # noqa: PLC0415

        made: dict[int, Any] = {}

        def value_of(typed: dict[str, Any]) -> Any:
            if id(typed) not in made:
                made[id(typed)] = DynamoType(typed)
            return made[id(typed)]

        for typed in items:
            item = Item(value_of(typed["PK"]), value_of(typed["SK"]), {})
            # Straight into the dict: moto's own setter sizes the whole item again for each value.
            dict.update(item.attrs, {name: value_of(value) for name, value in typed.items()})
            self.table.items[item.hash_key][item.range_key] = item
        self.written += len(items)


def load(account: Account, rest: list[Spec], now: datetime, into: MotoTable) -> list[str]:
    """Store the orders of ``rest`` and move the account's order counter past them; what differs
    between ``order_items`` and the product's ``order_writes`` on the orders checked."""
    from shared.clock import to_iso  # noqa: PLC0415
    from shared.data import keys  # noqa: PLC0415
    from shared.data.dynamo import to_item  # noqa: PLC0415
    from shared.ids import new_id  # noqa: PLC0415

    stamp = to_iso(now)
    differences = []
    for position, spec in enumerate(rest):
        made = {
            "id": new_id("wo"),
            "created_at": stamp,
            "updated_at": stamp,
            "version": 2 if spec.closed else 1,
        }
        order = build_order(account, spec, made)
        items = order_items(account, order)
        if position % 100 == 0 and items != stored_items(account, order):
            differences.append(f"order {spec.number}")
        into.put(items)
    counter = {"PK": keys.account_pk(account.id), "SK": keys.ORDER_COUNTER_SK, "entity": "counter"}
    into.put([to_item({**counter, "number": rest[-1].number})])
    return differences


@dataclass
class Pattern:
    label: str
    query: str
    target: int | None = PAGE_TARGET  # None: items examined are reported only
    page: int = PAGE  # items the page is expected to hold (an exact number: 1)
    shown: str = ""  # the query as the report shows it (ids and dates by name)


def patterns(account: Account, loaded: list[Spec], now: datetime) -> list[Pattern]:
    def day(moment: datetime) -> str:
        return quote(moment.strftime("%Y-%m-%dT00:00:00Z"))

    one = loaded[len(loaded) // 2]
    ahead, back = day(now + timedelta(days=90)), day(now - timedelta(days=180))
    return [
        Pattern("W6 every order by number", f"limit={PAGE}"),
        Pattern("W6 an exact number", f"number=WO-{one.number:06d}", page=1),
        Pattern(
            "W7 open orders by planned start, the next 90 days",
            f"sort=planned&planned_from={day(now)}&planned_to={ahead}&limit={PAGE}",
            shown="sort=planned&planned_from=<today>&planned_to=<in 90 days>&limit=50",
        ),
        Pattern(
            "W7 closed orders by close time, newest first, the last 180 days",
            f"sort=-closed&closed_from={back}&closed_to={day(now)}&limit={PAGE}",
            shown="sort=-closed&closed_from=<180 days ago>&closed_to=<today>&limit=50",
        ),
        Pattern("W8 one status", f"status=in_progress&limit={PAGE}"),
        Pattern("W9 one assignee", f"assignee=tech-07&limit={PAGE}"),
        Pattern(
            "W9 one asset", f"asset_id={account.assets[7]['id']}&limit={PAGE}", shown="asset_id=<id>&limit=50"
        ),
        Pattern("W9 one customer (number, any case)", f"customer_number=c-007&limit={PAGE}"),
        Pattern(
            "W9 one site", f"site_id={account.sites[3]['id']}&limit={PAGE}", shown="site_id=<id>&limit=50"
        ),
        Pattern(
            "W9 one depot", f"depot_id={account.depots[1]['id']}&limit={PAGE}", shown="depot_id=<id>&limit=50"
        ),
        Pattern(
            "W9 one assignee's open orders (filtered)", f"assignee=tech-07&state=open&limit={PAGE}", None
        ),
        Pattern("`q` in 1 of 8 titles (filtered)", f"q=hydraulic&limit={PAGE}", None),
        Pattern("`q` in the 100 newest numbers only (filtered)", f"q=wo-0199&limit={PAGE}", None),
    ]


def _pages(
    account: Account, loaded: list[Spec], now: datetime
) -> tuple[list[list[object]], list[str], float]:
    from shared.data.dynamo import client  # noqa: PLC0415

    counter = ReadCounter(client)
    rows: list[list[object]] = []
    failures = []
    slowest = 0.0
    account.api.request("GET", f"/work-orders?number={loaded[0].number}")  # warms the function
    for pattern in patterns(account, loaded, now):
        with counter.counting():
            started = time.perf_counter()
            page = account.api.request("GET", f"/work-orders?{pattern.query}").json()
            slowest = max(slowest, time.perf_counter() - started)
        returned = len(page["items"])
        if pattern.target is None:
            target, verdict = "report", "-"
        else:
            ok = counter.items <= pattern.target and returned == pattern.page
            target, verdict = f"<= {pattern.target}", "PASS" if ok else "FAIL"
            if not ok:
                failures.append(
                    f"work orders, {pattern.label}: read {counter.items} items for a page of {returned} "
                    f"(target <= {pattern.target} for a page of {pattern.page})"
                )
        rows.append(
            [
                pattern.label,
                f"`{pattern.shown or pattern.query}`",
                returned,
                "yes" if page.get("next") else "no",
                counter.items,
                len(counter.calls),
                target,
                verdict,
            ]
        )
        if pattern.label.startswith("W6 every") and page.get("next"):
            with counter.counting():
                second = account.api.request(
                    "GET", f"/work-orders?{pattern.query}&next={page['next']}"
                ).json()
            ok = counter.items <= PAGE_TARGET and len(second["items"]) == PAGE
            if not ok:
                failures.append(f"work orders, every order by number, page 2: read {counter.items} items")
            rows.append(
                [
                    "W6 every order by number, the next page",
                    "… `&next=`",
                    len(second["items"]),
                    "yes" if second.get("next") else "no",
                    counter.items,
                    len(counter.calls),
                    f"<= {PAGE_TARGET}",
                    "PASS" if ok else "FAIL",
                ]
            )
    return rows, failures, slowest


class QuickQueries:
    """moto's Queries in proportion to the partition they read, while on (``with``).

    moto answers every Query by sorting every item of the table first, then keeping the
    partition's (local/moto_queries.py spares index Queries with a sort-key condition that). At
    20,000 orders, 120,000 items and more, a page of every order by number takes seconds and a
    filtered one tens of seconds. Here moto's own method is handed only the partition's items: a
    table Query its partition, an index Query without a sort-key condition the entries of its
    index partition; moto then sorts, pages, filters and counts them as before (the same answer,
    ``ScannedCount`` and ``LastEvaluatedKey`` included). Inside ``read_only()`` (nothing is added
    to the table there) the entries of each index partition are found in one pass over the table
    for all the Queries, instead of one pass each.
    """

    def __init__(self) -> None:
        self.frozen = False
        self.where: dict[str, dict[Any, list[tuple[Any, Any]]]] = {}  # key name -> value -> keys

    def entries(self, table: Any, name: str, value: Any) -> list[Any]:
        """The items whose attribute ``name`` is ``value`` (an index partition)."""
        if not self.frozen:
            return [
                item
                for ranged in table.items.values()
                for item in ranged.values()
                if name in item.attrs and item.attrs[name] == value
            ]
        if name not in self.where:
            found: dict[Any, list[tuple[Any, Any]]] = {}
            for hash_key, ranged in table.items.items():
                for range_key, item in ranged.items():
                    if name in item.attrs:
                        found.setdefault(item.attrs[name], []).append((hash_key, range_key))
            self.where[name] = found
        # Read again by key: an item written since is seen as it is now.
        keys = self.where[name].get(value, [])
        items = (table.items[hash_key].get(range_key) for hash_key, range_key in keys)
        return [item for item in items if item is not None and item.attrs.get(name) == value]

    @contextmanager
    def read_only(self) -> Iterator[None]:
        self.frozen, self.where = True, {}
        try:
            yield
        finally:
            self.frozen, self.where = False, {}

    def __enter__(self) -> "QuickQueries":
        from moto.dynamodb.models.table import Table  # noqa: PLC0415

        self.inner = inner = Table.query
        quick = self

        def query(table: Any, hash_key: Any, range_comparison: Any, *args: Any, **kwargs: Any) -> Any:
            index_name = kwargs.get("index_name", args[5] if len(args) > 5 else None)
            hashes = kwargs.get("hash_key_conditions") or []
            if index_name is None:
                partition = table.items.get(hash_key, {})
                table.all_items = lambda: list(partition.values())
            elif not range_comparison and len(hashes) == 1:
                [(name, value)] = hashes
                table.all_items = lambda: quick.entries(table, name, value)
            else:
                return inner(table, hash_key, range_comparison, *args, **kwargs)
            try:
                return inner(table, hash_key, range_comparison, *args, **kwargs)
            finally:
                del table.all_items

        Table.query = query  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_: object) -> None:
        from moto.dynamodb.models.table import Table  # noqa: PLC0415

        Table.query = self.inner  # type: ignore[method-assign]


def _say(text: str, since: float) -> None:
    print(f"  work orders: {text} ({time.perf_counter() - since:.0f} s)", flush=True)


def run(stack: Stack) -> Section:
    with QuickQueries() as quick:
        return _run(stack, quick)


def _run(stack: Stack, quick: QuickQueries) -> Section:
    import boto3  # noqa: PLC0415

    started = time.perf_counter()
    change_rows, failures = _change_rows(_changes(stack))
    _say("calls per change measured", started)

    now = datetime.now(UTC).replace(microsecond=0)
    account = _account(stack)
    chosen = specs(ORDERS, now)
    differences = check_sample(account, chosen[:SAMPLE], boto3.client("dynamodb"))
    if differences:
        failures.append(f"loaded orders differ from the API's: {'; '.join(differences[:5])}")
    _say(f"{SAMPLE} orders made through the API and compared", started)
    loading = time.perf_counter()
    table_ = MotoTable()
    drift = load(account, chosen[SAMPLE:], now, table_)
    if drift:
        failures.append(f"the bench's order items differ from order_writes': {', '.join(drift[:5])}")
    written, load_seconds = table_.written, time.perf_counter() - loading
    _say(f"{ORDERS:,} orders stored ({written:,} items)", started)
    for spec in (chosen[SAMPLE], chosen[ORDERS // 2], chosen[-1]):
        found = account.api.request("GET", f"/work-orders?number={spec.number}").json()["items"]
        read = account.api.request("GET", f"/work-orders/{found[0]['id']}").json()
        if read["number"] != spec.number or read["status"] != spec.status:
            failures.append(f"loaded order {spec.number} reads back as {read['number']} {read['status']}")
    with quick.read_only():
        page_rows, page_failures, slowest = _pages(account, chosen, now)
    failures += page_failures
    _say("list pages read", started)
    seconds = time.perf_counter() - started
    sample = (
        "identical" if not differences else f"{len(differences)} difference(s): " + "; ".join(differences[:5])
    )
    body = (
        "Calls, items written (PutItem/UpdateItem/DeleteItem 1 each, TransactWriteItems its "
        "actions, BatchWriteItem its requests) and units of one order's life, each request "
        "measured on its second round (its set-up, an asset with a reading and a task, not "
        "counted):\n\n"
        + table(
            [
                "Request",
                "Calls",
                "Target",
                "Items written",
                "Target",
                "Operations",
                "W (by table/index)",
                "R",
                "Result",
            ],
            change_rows,
            "lrlrlllrl",
        )
        + f"\nItems read by one page of a list in an account of {ORDERS:,} orders (20 assignees, "
        f"50 assets, 20 customers, 10 sites, 3 depots; 60 % open in 4 statuses, 40 % closed): the "
        "`ScannedCount` of each Query, before any filter. Filtered lists (`q`, a second filter on "
        "a W9 list) read on until the page is full or 2,000 items were examined.\n\n"
        + table(
            ["List", "Query", "Items", "Next page", "Items read", "Calls", "Target", "Result"],
            page_rows,
            "llrlrrll",
        )
        + f"\nThe {ORDERS:,} orders: {SAMPLE} made through the API, then {ORDERS - SAMPLE:,} built with "
        f"the product's builders and put straight into moto's memory ({written:,} items with the "
        f"list copies, in {load_seconds:.0f} s; every 100th order's items checked against "
        f"`order_writes`). The API's {SAMPLE} orders against the builder's for the same orders, "
        f"order item and list copies: {sample}. Loaded orders read back through "
        "`GET /work-orders/{id}` and every list page above. moto was handed only the partition "
        f"each Query reads (`QuickQueries`); the slowest page took {slowest:.1f} s. "
        f"Section time: **{seconds:.0f} s**.\n"
    )
    return Section("7. Work orders", body, failures)
