"""Service plans (issue 15): what a bulk assignment costs per asset.

``PUT /plan-assignments`` with 500 entries, one plan of one planned service, the asset owner
providing for it (the plan becomes active: a task per asset). DynamoDB calls per asset are all
the request's calls (its batched reads, the plan's read and mark, each asset's transaction)
over 500; items written per asset are the items of its writes (a transaction's actions) over
500. Measured twice: on assets without tasks, and on assets that already have 5 open tasks
each (their tasks are read, one Query per asset, to keep the asset's summary right); and by a
provider on 500 machines a customer granted it, with a plan of its own (the assets are reached
through its links; the link takes its summary in the same transaction).
**Targets: at most 1.1 calls per asset and 2.1 with 5 tasks each; at most 3 items written per
asset** (the assignment, the task, the asset), **4 by a provider** (and its link). The request
runs with its function's parallelism.
"""

from dataclasses import dataclass
from typing import Any

from bench import provider_view
from bench.dynamodb_calls import CallCounter
from bench.report import Section, table
from bench.stack import InProcessClient, Stack, new_account
from bench.work_orders import QuickQueries, items_written

ASSETS = 500
TARGETS = {0: 1.1, 5: 2.1}  # open tasks per asset before: most calls per asset
MOST_WRITTEN = 3
PLAN = {
    "name": "Excavator 500 h",
    "planned_services": [
        {"name": "500 h service", "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}}}
    ],
}
TASK = {"name": "Walk-around check", "conditions": {"date": {"every_days": 30}}, "repeat": True}


@dataclass
class Bulk:
    tasks_before: int
    calls: int
    written: float  # the items of one asset's transaction (on average)
    other_writes: int  # the request's writes beside the assets' transactions (the plan's mark)
    operations: str
    succeeded: int
    seconds: float


def _fleet(api: InProcessClient, tasks_each: int) -> list[str]:
    """500 machines with an hours reading (and ``tasks_each`` open tasks each)."""
    readings, ids = [], []
    for n in range(ASSETS):
        asset = api.request(
            "POST", "/assets", {"name": f"Excavator {n}", "type": "machine", "meters": ["hours"]}
        )
        ids.append(asset.json()["id"])
        readings.append({"asset_id": ids[-1], "hours": 100 + n})
    for start in range(0, ASSETS, 1000):
        api.request("POST", "/readings", {"readings": readings[start : start + 1000]})
    for _ in range(tasks_each):
        api.request("POST", "/tasks/batch", {"asset_ids": ids, "task": TASK})
    return ids


def _bulk(stack: Stack, tasks_each: int, by_provider: bool = False) -> Bulk:
    from shared.data.dynamo import client  # noqa: PLC0415

    api = InProcessClient(stack, new_account(f"plans-bulk-{tasks_each}"))
    with QuickQueries():  # moto would sort the whole table for every Query of the 500 assets
        return _measured(api, tasks_each, client, by_provider)


def _measured(api: InProcessClient, tasks_each: int, client: Any, by_provider: bool) -> Bulk:
    import time  # noqa: PLC0415

    ids = _fleet(api, tasks_each)
    if by_provider:  # the customer grants its 500 machines; the provider assigns its own plan
        provider = api.as_account(new_account("plans-provider"))
        api.request("PUT", f"/providers/{provider.account}/assets", {"add": ids})
        api = provider
    plan = api.request("POST", "/plans", PLAN).json()
    body = {"add": [{"asset_id": asset_id, "plan_id": plan["id"], "provide_for": True} for asset_id in ids]}
    with CallCounter(client) as counter:
        counter.reset()
        started = time.perf_counter()
        answer = api.request("PUT", "/plan-assignments", body).json()
        seconds = time.perf_counter() - started
        calls, operations, _ = counter.snapshot()
        per_asset = counter.items["TransactWriteItems"] / max(1, counter.calls["TransactWriteItems"])
        other = items_written(counter.calls, counter.items) - counter.items["TransactWriteItems"]
    return Bulk(tasks_each, calls, per_asset, other, operations, int(answer["succeeded"]), seconds)


def run(stack: Stack) -> Section:
    rows: list[list[object]] = []
    failures = []
    cases = [(tasks_each, most_calls, False) for tasks_each, most_calls in TARGETS.items()]
    cases.append((0, TARGETS[0], True))  # a provider on 500 customer's assets: the link as well
    for tasks_each, most_calls, by_provider in cases:
        bulk = _bulk(stack, tasks_each, by_provider)
        most_written = MOST_WRITTEN + int(by_provider)
        per_call, per_written = bulk.calls / ASSETS, bulk.written
        ok = bulk.succeeded == ASSETS and per_call <= most_calls and per_written <= most_written
        if not ok:
            failures.append(
                f"bulk assignment, {tasks_each} tasks each: {bulk.succeeded} of {ASSETS} assigned, "
                f"{per_call:.3f} calls and {per_written:.2f} items written per asset: {bulk.operations}"
            )
        rows.append(
            [
                f"500 assets, {tasks_each} open tasks each" + (", by their provider" if by_provider else ""),
                bulk.succeeded,
                f"{per_call:.3f}",
                f"<= {most_calls}",
                f"{per_written:.2f}",
                f"<= {most_written}",
                bulk.other_writes,
                bulk.operations,
                f"{bulk.seconds:.1f}",
                "PASS" if ok else "FAIL",
            ]
        )
    headers = [
        "Request",
        "Assigned",
        "Calls per asset",
        "Target",
        "Items written per asset",
        "Target",
        "Other items written",
        "Calls",
        "Seconds (local)",
        "Result",
    ]
    text = (
        "`PUT /plan-assignments` with 500 entries of one plan of one planned service, the asset owner "
        "providing for it, or a provider on a customer's 500 granted assets, on the local stack (moto). "
        "Calls per asset: every DynamoDB call of the "
        "request over 500; items written per asset: the items of one asset's transaction; other items "
        "written: the request's writes beside them (the plan's mark as used, once).\n\n"
        + table(headers, rows)
    )
    view_rows = []
    for cost in provider_view.measure(stack):
        ok = cost.items_read <= provider_view.MOST_ITEMS and cost.all_due and cost.shown == 50
        if not ok:
            failures.append(
                f"provider's view, {cost.page}, {cost.assets} assets: {cost.items_read} items read, "
                f"{cost.shown} shown, all as asked: {cost.all_due}"
            )
        view_rows.append(
            [
                f"{cost.assets:,}",
                cost.page,
                cost.shown,
                cost.items_read,
                f"<= {provider_view.MOST_ITEMS}",
                cost.calls,
                "PASS" if ok else "FAIL",
            ]
        )
    text += (
        "\n\nA provider's view of its customers' assets (`GET /provided-assets`, a page of 50), "
        f"{provider_view.CUSTOMERS} customers, a tenth of the assets with a task of the provider's "
        "in its warning range or overdue: the page is read from the provider's links alone (G3, G5).\n\n"
        + table(["Granted assets", "Page", "Shown", "Items read", "Target", "Calls", "Result"], view_rows)
    )
    return Section("8. Service plans", text, failures)
