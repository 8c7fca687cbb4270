"""The evaluator: what a run reads and writes per transition, and how long 10,000 take locally.

A fleet of date tasks, each with an SMS and an email recipient, is built from one task made
through the API and copied straight into the table (with its evaluator index entry at its own
instant). Due tasks have their entry in the past; the others wait in the index at a warning
instant weeks ahead, as every date task does. Then:

1. **Units per transition**: a run over 200 due tasks under the capacity meter (write and read
   units by table and index, docs/cost.md's prices apply).
2. **Items read** (``ScannedCount`` of each Query, items of each GetItem / BatchGetItem) for a
   run over 1,000 due tasks among 10,000, then 1,000 due among 100,000: the ratio shows whether
   a run's cost follows the due work or the fleet (target <= 1.05); per transition target <= 1.1.
3. **10,000 transitions** among 100,000 tasks: the sweep, the transactions and the hand-over to
   the queue and the bus, timed on the local stack (target <= 240 s, 2 cores); items read per due
   task (target <= 1.2). The sender is not part of it: a consumer takes the queue's messages
   off meanwhile, as the sender does (moto's queue slows with every message it holds).
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.report import Section, table
from bench.stack import InProcessClient, Stack, new_account

TARGET_ITEMS_PER_TRANSITION = 1.1
TARGET_ITEMS_PER_DUE_TASK = 1.2
TARGET_FLEET_RATIO = 1.05
TARGET_SECONDS = 240.0


class _ReadCounter:
    def __init__(self) -> None:
        self.items = 0
        self.calls = 0

    def __call__(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls += 1
        if model.name == "Query":
            self.items += int(parsed.get("ScannedCount", 0))
        elif model.name == "BatchGetItem":
            self.items += sum(len(found) for found in parsed.get("Responses", {}).values())
        elif model.name == "GetItem":
            self.items += 1 if parsed.get("Item") else 0


def _template(stack: Stack) -> dict[str, Any]:
    """A date task as stored, made through the API, with an SMS and an email recipient."""
    from shared.data import keys  # noqa: PLC0415
    from shared.data.dynamo import TABLE_NAME, client, from_item  # noqa: PLC0415

    account = new_account("eval")
    api = InProcessClient(stack, account)
    asset = api.request("POST", "/assets", {"name": "Truck 1", "type": "vehicle"}).json()
    due = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    body = {
        "asset_id": asset["id"],
        "name": "Annual inspection",
        "conditions": {"date": {"due": due, "notify_before_days": 14}},
        "recipients": {"sms": ["+4915112345678"], "emails": ["workshop@example.com"]},
    }
    task = api.request("POST", "/tasks", body).json()
    key = {"PK": {"S": keys.account_pk(account)}, "SK": {"S": keys.task_sk(task["id"])}}
    return from_item(client.get_item(TableName=TABLE_NAME, Key=key, ConsistentRead=True)["Item"])


def _add(template: dict[str, Any], count: int, at: datetime) -> None:
    """``count`` copies of the template task, each in the evaluator's index at ``at`` (due when
    ``at`` is past: its warning instant is then ``at``)."""
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

    from local.settings import LOCAL_REGION  # noqa: PLC0415
    from shared.clock import to_iso  # noqa: PLC0415
    from shared.data.dynamo import TABLE_NAME, to_item  # noqa: PLC0415
    from shared.data.task_items import eval_keys  # noqa: PLC0415
    from shared.ids import new_child_id  # noqa: PLC0415

    # Straight into moto's memory (this process serves it; nothing else runs meanwhile): a
    # hundred thousand items through its HTTP API would take minutes.
    backend = dynamodb_backends["123456789012"][LOCAL_REGION]
    copies = []
    for _ in range(count):
        task_id = new_child_id("tsk", template["asset_id"])
        copies.append(
            {
                **template,
                "id": task_id,
                "SK": f"TASK#{task_id}",
                "date_warn_at": to_iso(at),
                "GSI3PK": None,
                "GSI3SK": None,
                "GSI4PK": None,
                "GSI4SK": None,
                **eval_keys(task_id, at),
            }
        )
    for copy in copies:
        backend.put_item(TABLE_NAME, to_item(copy))


@contextmanager
def _consumer() -> Iterator[None]:
    """Take the delivery queue's messages off as fast as the sender would, straight from moto's
    memory: moto's queue costs time with every message it holds, AWS's does not."""
    from moto.sqs.models import sqs_backends  # noqa: PLC0415

    from local.notifications import QUEUE  # noqa: PLC0415
    from local.settings import LOCAL_REGION  # noqa: PLC0415

    queue = sqs_backends["123456789012"][LOCAL_REGION].queues[QUEUE]
    stop = threading.Event()

    def consume() -> None:
        while not stop.wait(0.1):
            queue._messages.clear()

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()
        queue._messages.clear()


def _run(now: datetime) -> tuple[Any, _ReadCounter, float]:
    from shared.data.dynamo import client  # noqa: PLC0415
    from shared.services.evaluation import run  # noqa: PLC0415

    counter = _ReadCounter()
    client.meta.events.register("after-call.dynamodb", counter)
    try:
        with _consumer():
            started = time.perf_counter()
            report = run(now)
            elapsed = time.perf_counter() - started
    finally:
        client.meta.events.unregister("after-call.dynamodb", counter)
    return report, counter, elapsed


def _units(template: dict[str, Any], now: datetime) -> tuple[int, Any]:
    import boto3  # noqa: PLC0415

    from bench.capacity import CapacityMeter  # noqa: PLC0415
    from shared.data.dynamo import TABLE_NAME, client  # noqa: PLC0415
    from shared.services.evaluation import run  # noqa: PLC0415

    _add(template, 200, now - timedelta(hours=1))
    meter = CapacityMeter(client, boto3.client("dynamodb"), TABLE_NAME)
    with meter, meter.measure() as usage:
        report = run(now)
    return len(report.transitions), usage


def _say(text: str, since: float) -> None:
    print(f"  evaluation: {text} ({time.perf_counter() - since:.0f} s)", flush=True)


def run(stack: Stack) -> Section:
    started = time.perf_counter()
    failures: list[str] = []
    template = _template(stack)
    now = datetime.now(UTC) + timedelta(minutes=1)
    ahead = now + timedelta(days=30)
    _run(now)  # whatever earlier benchmarks left due
    transitions, usage = _units(template, now)
    _say("units per transition measured", started)
    per = {name: units / transitions for name, units in sorted(usage.writes.items())}
    write_rows = [[name, f"{units:.2f}"] for name, units in per.items()]
    write_rows.append(["all", f"**{usage.write_units / transitions:.2f}**"])
    reads_per = usage.read_units / transitions

    rows: list[list[object]] = []
    _add(template, 9_000, ahead)
    _add(template, 1_000, now - timedelta(minutes=30))
    _say("10,000 tasks stored", started)
    small, small_read, _ = _run(now)
    _say("1,000 due among 10,000 evaluated", started)
    _add(template, 90_000, ahead)
    _add(template, 1_000, now - timedelta(minutes=20))
    _say("100,000 tasks stored", started)
    large, large_read, _ = _run(now)
    _say("1,000 due among 100,000 evaluated", started)
    small_per = small_read.items / max(len(small.transitions), 1)
    large_per = large_read.items / max(len(large.transitions), 1)
    ratio = large_read.items / max(small_read.items, 1)
    for label, report, read, each in (
        ("10,000 tasks, 1,000 due", small, small_read, small_per),
        ("100,000 tasks, 1,000 due", large, large_read, large_per),
    ):
        rows.append([label, len(report.transitions), read.items, f"{each:.3f}", read.calls])
    if max(small_per, large_per) > TARGET_ITEMS_PER_TRANSITION:
        failures.append(f"a run read {max(small_per, large_per):.3f} items per transition (target <= 1.1)")
    if ratio > TARGET_FLEET_RATIO:
        failures.append(f"1,000 due among 100,000 tasks read {ratio:.3f} times as much as among 10,000")

    _add(template, 10_000, now - timedelta(minutes=10))
    big, big_read, seconds = _run(now)
    _say("10,000 due among 100,000 evaluated", started)
    per_due = big_read.items / 10_000
    rows.append(
        ["100,000 tasks, 10,000 due", len(big.transitions), big_read.items, f"{per_due:.3f}", big_read.calls]
    )
    if per_due > TARGET_ITEMS_PER_DUE_TASK:
        failures.append(f"10,000 due tasks read {per_due:.3f} items each (target <= 1.2)")
    if seconds > TARGET_SECONDS or len(big.transitions) != 10_000:
        failures.append(
            f"{len(big.transitions):,} transitions took {seconds:.0f} s (target 10,000 in <= 240 s)"
        )
    body = (
        "Write units per transition (200 transitions: the task's notice and the notification in one "
        "transaction, the notification stored again without its index keys after its hand-over), "
        "by table and index:\n\n"
        f"{table(['Table / index', 'WRU per transition'], write_rows, 'lr')}\n"
        f"Read units per transition: {reads_per:.2f}.\n\n"
        "Items read by a run (ScannedCount of its Queries and the items of its Get/BatchGet calls):\n\n"
        f"{table(['Fleet', 'Transitions', 'Items read', 'Per transition', 'Calls'], rows, 'lrrrr')}\n"
        f"Fleet ratio (100,000 vs 10,000 tasks, 1,000 due each): {ratio:.3f} "
        f"(target <= {TARGET_FLEET_RATIO}).\n\n"
        f"10,000 transitions on the local stack (sweep, transactions, hand-over of 20,000 deliveries "
        f"and 10,000 events): **{seconds:.0f} s** (target <= {TARGET_SECONDS:.0f} s), "
        f"{10_000 / seconds:.0f} transitions a second.\n"
    )
    return Section("6. Evaluation and notifications", body, failures)
