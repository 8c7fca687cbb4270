"""Capacity units per request, for every route of the API, and what a request costs besides.

Each request goes through the emulated API Gateway into the real handler, moto behind it, with
``bench.capacity.CapacityMeter`` on the shared DynamoDB client: write and read units by
DynamoDB's pricing rules, per table and index. Requests are measured warm (the second of their
kind). Beside the units, each request's handler time in this process and the bytes it logs (its
log lines at the deployed level, INFO, and its metric lines) are recorded: the cost model
(docs/cost.md) prices Lambda and CloudWatch Logs from them.

The fleet the requests run against: 60 vehicles with an odometer and an hour meter; one asset
with five open tasks, two of them upcoming (the reading targets of the issue's model), and a
due-work list of more than a page (a date task overdue on 55 assets).
"""

import contextlib
import functools
import io
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import cost_model
from bench.capacity import CapacityMeter, Usage, item_size
from bench.cost_model import Call, Measures
from bench.report import Section, table
from bench.stack import InProcessClient, Stack, asset_body, new_account

DUE_PAGE = "/tasks?status=upcoming,overdue&sort=due&limit=50"
SINGLE_READING_TARGET = 3.0  # write units: one reading, asset with 5 open tasks
SINGLE_READING = "one reading, asset with 5 open tasks (2 upcoming)"
MINUTE_BATCH = "readings batch: 1 reading each for 50 assets, by external id"
DUE_WORK = "due work, page of 50"
BATCH_READING_TARGET = 2.0  # write units per reading in a batch


@dataclass
class Request:
    """One kind of request: a label, the route it exercises, and how to make the n-th one."""

    label: str
    route: tuple[str, str]  # method and path template, as in the route table
    send: Callable[[int], Any]
    per: int = 1  # units are also shown per this many (readings in a batch, tasks in a batch)
    per_label: str = ""


@dataclass
class Measured:
    request: Request
    usage: Usage
    calls: int
    handler_ms: float
    log_bytes: int
    own_ms: float = 0.0  # handler time outside DynamoDB calls, batches one asset at a time


@dataclass
class Fleet:
    api: InProcessClient
    assets: list[dict[str, Any]]
    reading_target: dict[str, Any]  # 5 open tasks, 2 upcoming
    plain: dict[str, Any]  # no tasks
    spare: list[dict[str, Any]] = field(default_factory=list)  # for deletes


def _at(days_ago: float, step: int = 0) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago) + timedelta(minutes=step)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _vehicle(n: int) -> dict[str, Any]:
    return {**asset_body(n), "meters": ["odometer", "hours"]}


HISTORY_HOURS = 720  # the reading target's hourly history before the measured readings
KM_PER_HOUR = 12.5  # 300 km a day


def hourly(step: int) -> tuple[str, float, float]:
    """The reading target's ``step``-th hourly reading: time, odometer, hours. Step 0 is 40 days
    ago, the history ends 10 days ago, and the measured readings go on from there."""
    moment = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=40, hours=-step)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ"), 11_000.0 + KM_PER_HOUR * step, 500.0 + 0.4 * step


def build_fleet(api: InProcessClient) -> Fleet:
    assets = [api.request("POST", "/assets", _vehicle(n)).json() for n in range(62)]
    # Twelve hourly readings each, so the usage estimate rests on enough of them (as on a fleet
    # that has been reporting for a while), then the reading the measured ones go on from.
    first = [
        {
            "asset_id": a["id"],
            "time": _at(11, 60 * step),
            "odometer_km": 19_000.0 + 50 * step,
            "hours": 880.0 + step,
        }
        for a in assets[:60]
        for step in range(12)
    ] + [{"asset_id": a["id"], "time": _at(10), "odometer_km": 20_000.0, "hours": 900.0} for a in assets[:60]]
    api.request("POST", "/readings", {"readings": first})
    target, plain = assets[60], assets[61]
    history = []
    for step in range(HISTORY_HOURS):
        moment, km, hours = hourly(step)
        history.append({"asset_id": target["id"], "time": moment, "odometer_km": km, "hours": hours})
    moment, km, hours = hourly(0)
    history.append({"asset_id": plain["id"], "time": moment, "odometer_km": km, "hours": hours})
    api.request("POST", "/readings", {"readings": history})
    # Five open tasks: two upcoming (warning points passed, due points 500 and 800 km ahead),
    # two planned on the meters, one planned by date.
    _, km_now, _ = hourly(HISTORY_HOURS - 1)
    distance = {"distance": {"limit_km": 10_000, "notify_before_km": 1_000}}
    for name, ahead in (("Brakes", 500.0), ("Tyres", 800.0), ("Oil", 5_000.0)):
        start = {"odometer_km": km_now + ahead - 10_000}
        api.request(
            "POST", "/tasks", {"asset_id": target["id"], "name": name, "conditions": distance, "start": start}
        )
    api.request(
        "POST",
        "/tasks",
        {"asset_id": target["id"], "name": "Hydraulics", "conditions": {"hours": {"limit_h": 500}}},
    )
    yearly = {"date": {"every_months": 12, "notify_before_days": 30}}
    api.request("POST", "/tasks", {"asset_id": target["id"], "name": "Inspection", "conditions": yearly})
    overdue = {"date": {"due": (datetime.now(UTC) - timedelta(days=3)).date().isoformat()}}
    api.request(
        "POST",
        "/tasks/batch",
        {"asset_ids": [a["id"] for a in assets[:55]], "task": {"name": "Tachograph", "conditions": overdue}},
    )
    return Fleet(api, assets, target, plain)


def requests(fleet: Fleet) -> list[Request]:
    from bench.catalogue_units import catalogue_requests  # noqa: PLC0415 - it builds on Request
    from bench.file_units import file_requests  # noqa: PLC0415 - it builds on Request
    from bench.order_units import order_requests  # noqa: PLC0415 - it builds on Request
    from bench.plan_units import plan_requests  # noqa: PLC0415 - it builds on Request

    api, assets = fleet.api, fleet.assets
    target, plain = fleet.reading_target, fleet.plain
    a0 = assets[0]["id"]

    def with_key(n: int, tag: str) -> dict[str, str]:
        return {"Idempotency-Key": f"{tag}-{n}-{os.getpid()}-{time.monotonic_ns()}"}

    def reading(asset: dict[str, Any], n: int, headers: dict[str, str] | None = None) -> None:
        """The next hourly reading (steps on from the history; each kind of request has its own)."""
        moment, km, hours = hourly(HISTORY_HOURS + n)
        body = {"time": moment, "odometer_km": km, "hours": hours}
        api.request("POST", f"/assets/{asset['id']}/readings", body, headers)

    def minute_batch(n: int) -> None:
        # An integrator's batch: one new reading for each of 50 assets, named by external id.
        body = [
            {"external_id": a["external_id"], "time": _at(4, n), "odometer_km": 20_100.0 + n * 10}
            for a in assets[:50]
        ]
        result = api.request("POST", "/readings", {"readings": body}).json()
        if result["rejected"]:
            raise RuntimeError(f"the batch had rejected readings: {result['results'][:2]}")

    def backlog_batch(n: int) -> None:
        # A tracker catching up: ten readings each for ten assets.
        body = [
            {"asset_id": a["id"], "time": _at(3, 20 * n + step), "odometer_km": 20_500.0 + 100 * n + step}
            for a in assets[50:60]
            for step in range(10)
        ]
        result = api.request("POST", "/readings", {"readings": body}).json()
        if result["rejected"]:
            raise RuntimeError(f"the batch had rejected readings: {result['results'][:2]}")

    created_tasks: list[str] = []

    def create_task(n: int) -> None:
        body = {"asset_id": plain["id"], "name": f"Check {n}", "conditions": {"hours": {"limit_h": 250}}}
        created_tasks.append(api.request("POST", "/tasks", body).json()["id"])

    def task_batch(n: int) -> None:
        body = {
            "asset_ids": [a["id"] for a in assets[:10]],
            "task": {"name": f"Campaign {n}", "conditions": {"hours": {"limit_h": 300}}},
        }
        api.request("POST", "/tasks/batch", body)

    def spare_asset(n: int) -> str:
        body = {k: v for k, v in _vehicle(500 + n).items() if k != "external_id"}
        return str(api.request("POST", "/assets", body).json()["id"])

    def delete_asset(n: int) -> None:
        asset_id = spare_asset(n)
        api.request("DELETE", f"/assets/{asset_id}")

    def fresh_task(n: int, tag: str) -> str:
        body = {"asset_id": plain["id"], "name": f"{tag} {n}", "conditions": {"hours": {"limit_h": 100}}}
        return str(api.request("POST", "/tasks", body).json()["id"])

    def batch_delete(n: int) -> None:
        ids = [fresh_task(10 * n + k, "Batch delete") for k in range(10)]
        api.request("POST", "/tasks/batch-delete", {"task_ids": ids})

    def complete(n: int) -> None:
        api.request("POST", f"/tasks/{fresh_task(n, 'Complete')}/complete", {"comment": "done"})

    def reopen(n: int) -> None:
        task_id = fresh_task(n, "Reopen")
        api.request("POST", f"/tasks/{task_id}/complete", {})
        api.request("POST", f"/tasks/{task_id}/reopen")

    hours_read = [0]

    def next_hour() -> int:
        hours_read[0] += 1
        return hours_read[0] - 1

    def a_task() -> str:
        """One of the reading target's tasks (read on use: building the list makes no request)."""
        return str(api.request("GET", f"/tasks?asset_id={target['id']}").json()["items"][0]["id"])

    return [
        Request("health", ("GET", "/health"), lambda n: api.request("GET", "/health")),
        Request("OpenAPI document", ("GET", "/openapi.json"), lambda n: api.request("GET", "/openapi.json")),
        Request("docs page", ("GET", "/docs"), lambda n: api.request("GET", "/docs")),
        Request(
            "register an asset",
            ("POST", "/assets"),
            lambda n: api.request("POST", "/assets", _vehicle(700 + n)),
        ),
        Request(
            "register an asset, with Idempotency-Key",
            ("POST", "/assets"),
            lambda n: api.request("POST", "/assets", _vehicle(800 + n), with_key(n, "asset")),
        ),
        Request(
            "list assets, page of 50", ("GET", "/assets"), lambda n: api.request("GET", "/assets?limit=50")
        ),
        Request(
            "list assets of a type, page of 50",
            ("GET", "/assets"),
            lambda n: api.request("GET", "/assets?type=vehicle&limit=50"),
        ),
        Request(
            "list assets by service status (overdue)",
            ("GET", "/assets"),
            lambda n: api.request("GET", "/assets?service_status=overdue&limit=50"),
        ),
        Request(
            "read an asset", ("GET", "/assets/{asset_id}"), lambda n: api.request("GET", f"/assets/{a0}")
        ),
        Request(
            "rename an asset",
            ("PATCH", "/assets/{asset_id}"),
            lambda n: api.request("PATCH", f"/assets/{a0}", {"name": f"Renamed {n}"}),
        ),
        Request("delete an asset", ("DELETE", "/assets/{asset_id}"), delete_asset),
        Request(
            "service history of an asset",
            ("GET", "/assets/{asset_id}/history"),
            lambda n: api.request("GET", f"/assets/{target['id']}/history"),
        ),
        Request(
            SINGLE_READING,
            ("POST", "/assets/{asset_id}/readings"),
            lambda n: reading(target, next_hour()),
        ),
        Request(
            "one reading, asset with 5 open tasks, with Idempotency-Key",
            ("POST", "/assets/{asset_id}/readings"),
            lambda n: reading(target, next_hour(), with_key(n, "reading")),
        ),
        Request(
            "one reading, asset without tasks",
            ("POST", "/assets/{asset_id}/readings"),
            lambda n: reading(plain, n),  # the plain asset's own history ends 10 days ago
        ),
        Request(
            "list an asset's readings",
            ("GET", "/assets/{asset_id}/readings"),
            lambda n: api.request("GET", f"/assets/{target['id']}/readings?limit=50"),
        ),
        Request(
            MINUTE_BATCH,
            ("POST", "/readings"),
            minute_batch,
            per=50,
            per_label="reading",
        ),
        Request(
            "readings batch: 10 readings each for 10 assets",
            ("POST", "/readings"),
            backlog_batch,
            per=100,
            per_label="reading",
        ),
        Request("create a task", ("POST", "/tasks"), create_task),
        Request(
            "create a task for 10 assets", ("POST", "/tasks/batch"), task_batch, per=10, per_label="task"
        ),
        Request(DUE_WORK, ("GET", "/tasks"), lambda n: api.request("GET", DUE_PAGE)),
        Request(
            "an asset's tasks",
            ("GET", "/tasks"),
            lambda n: api.request("GET", f"/tasks?asset_id={target['id']}"),
        ),
        Request(
            "due work as csv",
            ("GET", "/tasks/report"),
            lambda n: api.request("GET", "/tasks/report?format=csv&status=upcoming,overdue"),
        ),
        Request(
            "read a task", ("GET", "/tasks/{task_id}"), lambda n: api.request("GET", f"/tasks/{a_task()}")
        ),
        Request(
            "rename a task",
            ("PATCH", "/tasks/{task_id}"),
            lambda n: api.request("PATCH", f"/tasks/{a_task()}", {"name": f"Brakes {n}"}),
        ),
        Request(
            "delete a task",
            ("DELETE", "/tasks/{task_id}"),
            lambda n: api.request("DELETE", f"/tasks/{fresh_task(n, 'Delete')}"),
        ),
        Request("delete 10 tasks", ("POST", "/tasks/batch-delete"), batch_delete, per=10, per_label="task"),
        Request(TASK_WRITE, ("POST", "/tasks/{task_id}/complete"), complete),
        Request("reopen a task", ("POST", "/tasks/{task_id}/reopen"), reopen),
        Request("read the settings", ("GET", "/settings"), lambda n: api.request("GET", "/settings")),
        Request(
            "change the settings",
            ("PATCH", "/settings"),
            lambda n: api.request("PATCH", "/settings", {"currency": "EUR" if n % 2 else "USD"}),
        ),
        Request(
            "a task's notifications",
            ("GET", "/notifications"),
            lambda n: api.request("GET", f"/notifications?task_id={a_task()}"),
        ),
        Request(
            "opt a recipient out",
            ("PUT", "/notifications/opt-outs"),
            lambda n: api.request("PUT", "/notifications/opt-outs", {"sms": [f"+49151{10_000_000 + n}"]}),
        ),
        Request(
            "list opt-outs",
            ("GET", "/notifications/opt-outs"),
            lambda n: api.request("GET", "/notifications/opt-outs?limit=50"),
        ),
        Request(
            "opt a recipient in again",
            ("DELETE", "/notifications/opt-outs"),
            lambda n: api.request("DELETE", f"/notifications/opt-outs?recipient=%2B49151{10_000_000 + n}"),
        ),
        *catalogue_requests(api),
        *order_requests(api),
        *file_requests(api),
        *plan_requests(api),
    ]


@contextlib.contextmanager
def _logged_bytes() -> Iterator[list[int]]:
    """Bytes the handlers write to their log in the block: log records at INFO (as deployed) and
    metric lines (embedded metric format), which the local settings otherwise turn off."""
    from shared.observability import logger  # noqa: PLC0415

    buffer = io.StringIO()
    handlers = [h for h in logger.handlers if hasattr(h, "setStream")]
    streams = [h.setStream(buffer) for h in handlers]
    level = logger.log_level
    logger.setLevel("INFO")
    saved = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "false"
    result = [0]
    try:
        with contextlib.redirect_stdout(buffer):
            yield result
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
        logger.setLevel(level)
        if saved is None:
            os.environ.pop("POWERTOOLS_METRICS_DISABLED", None)
        else:
            os.environ["POWERTOOLS_METRICS_DISABLED"] = saved
        result[0] = len(buffer.getvalue().encode())


def _last_request(send: Callable[[], Any], around: Callable[[], Any]) -> dict[str, Any]:
    """Run ``send`` and return what ``around`` (a context manager yielding a dict to fill)
    records for the last request it makes through the gateway: set-up requests a kind makes
    first (a task to complete, an asset to delete) are not part of the figure."""
    from local.gateway import LocalGateway  # noqa: PLC0415

    measured: dict[str, Any] = {}
    original = LocalGateway.handle

    def last_request(gateway: LocalGateway, *args: Any, **kwargs: Any) -> Any:
        with around() as record:
            response = original(gateway, *args, **kwargs)
        measured.clear()
        measured.update(record)
        return response

    LocalGateway.handle = last_request  # type: ignore[method-assign,assignment]
    try:
        send()
    finally:
        LocalGateway.handle = original  # type: ignore[method-assign]
    return measured


def _units_of(meter: CapacityMeter, send: Callable[[], Any]) -> tuple[Usage, int]:
    @contextlib.contextmanager
    def metered() -> Iterator[dict[str, Any]]:
        record: dict[str, Any] = {}
        with meter.measure() as usage:
            yield record
        record.update(usage=usage, calls=len(meter.calls))

    with meter:
        measured = _last_request(send, metered)
    return measured["usage"], measured["calls"]


# Batch routes write their assets side by side (PARALLEL_ASSETS threads); their own time is
# measured one asset at a time, the DynamoDB calls then spread over the threads (docs/cost.md).
_PARALLEL_MODULES = (
    "shared.services.assignments",
    "shared.services.readings",
    "shared.services.task_deletes",
    "shared.services.task_writes",
)


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    import importlib  # noqa: PLC0415

    modules = [importlib.import_module(name) for name in _PARALLEL_MODULES]
    saved = [getattr(module, "PARALLEL_ASSETS") for module in modules]  # noqa: B009
    for module in modules:
        setattr(module, "PARALLEL_ASSETS", 1)  # noqa: B010
    try:
        yield
    finally:
        for module, value in zip(modules, saved, strict=True):
            setattr(module, "PARALLEL_ASSETS", value)  # noqa: B010


def _time_and_log(send: Callable[[], Any]) -> tuple[float, float, int]:
    """The handler's wall time, the part of it outside DynamoDB calls (ms), and its log bytes."""
    from shared.data.dynamo import client  # noqa: PLC0415

    in_calls = [0.0]
    started_call: list[float] = []

    def before(**_: Any) -> None:
        started_call.append(time.perf_counter())

    def after(**_: Any) -> None:
        in_calls[0] += time.perf_counter() - started_call.pop()

    @contextlib.contextmanager
    def timed() -> Iterator[dict[str, Any]]:
        record: dict[str, Any] = {}
        in_calls[0] = 0.0
        with _logged_bytes() as logged:
            started = time.perf_counter()
            yield record
            record["ms"] = (time.perf_counter() - started) * 1000
        record["own"] = max(0.0, record["ms"] - in_calls[0] * 1000)
        record["log"] = logged[0]

    client.meta.events.register("before-call.dynamodb", before)
    client.meta.events.register("after-call.dynamodb", after)
    try:
        with _one_at_a_time():
            measured = _last_request(send, timed)
    finally:
        client.meta.events.unregister("before-call.dynamodb", before)
        client.meta.events.unregister("after-call.dynamodb", after)
    return measured["ms"], measured["own"], measured["log"]


STEADY_READINGS = 168  # a week of hourly readings of the reading target


def measure_all(stack: Stack) -> tuple[list[Measured], dict[str, Any]]:
    """Every kind of request, measured warm (the first of each kind warms up, the second is
    metered, the third timed without the meter); then a week of hourly readings of the reading
    target, for the average a reading costs over time; and the item sizes the model uses."""
    import boto3  # noqa: PLC0415

    from shared.data.dynamo import TABLE_NAME, client  # noqa: PLC0415

    api = InProcessClient(stack, new_account("units"))
    fleet = build_fleet(api)
    meter = CapacityMeter(client, boto3.client("dynamodb"), TABLE_NAME)
    results = []
    kinds = requests(fleet)
    for request in kinds:
        request.send(0)
        usage, calls = _units_of(meter, functools.partial(request.send, 1))
        ms, own, logged = _time_and_log(functools.partial(request.send, 2))
        results.append(Measured(request, usage, calls, ms, logged, own))
    single = next(k for k in kinds if k.label == SINGLE_READING)
    steady = Usage()
    for n in range(STEADY_READINGS):
        usage, _ = _units_of(meter, functools.partial(single.send, 3 + n))
        steady = steady.merged(usage)
    facts = {"sizes": _item_sizes(meter, api, fleet), "steady": steady}
    return results, facts


def _item_sizes(meter: CapacityMeter, api: InProcessClient, fleet: Fleet) -> dict[str, Any]:
    """Sizes of the items the model counts: the asset with tasks, a reading, a task."""
    from shared.data import keys  # noqa: PLC0415
    from shared.data.dynamo import TABLE_NAME  # noqa: PLC0415

    account = _account_of(api)
    asset_key = {
        "PK": {"S": keys.account_pk(account)},
        "SK": {"S": keys.asset_sk(fleet.reading_target["id"])},
    }
    asset = meter.reader.get_item(TableName=TABLE_NAME, Key=asset_key)["Item"]
    readings = meter.reader.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": keys.readings_pk(account, fleet.reading_target["id"])}},
        Limit=1,
    )["Items"]
    tasks = meter.reader.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :t)",
        ExpressionAttributeValues={":pk": {"S": keys.account_pk(account)}, ":t": {"S": "TASK#"}},
    )["Items"]
    return {
        "asset with 5 open tasks": item_size(asset),
        "reading": item_size(readings[0]) if readings else 0,
        "task (largest of the asset's)": max(
            (item_size(t) for t in tasks if fleet.reading_target["id"][4:] in t["SK"]["S"]), default=0
        ),
    }


def _account_of(api: InProcessClient) -> str:
    from local.auth import verify_authorization  # noqa: PLC0415

    claims = verify_authorization(api.headers["Authorization"], api.gateway.signing_key)
    return str(claims["custom:account_id"])


def _units(value: float) -> str:
    return f"{value:g}"


def _row(m: Measured) -> list[object]:
    usage, request = m.usage, m.request
    per = ""
    if request.per > 1:
        per = f"{_units(usage.write_units / request.per)} W, {_units(usage.read_units / request.per)} R"
        per += f" per {request.per_label}"
    return [
        f"`{request.route[0]} {request.route[1]}`",
        request.label,
        _units(usage.write_units),
        usage.describe_writes(),
        _units(usage.read_units),
        usage.describe_reads(),
        per,
        m.calls,
        f"{m.handler_ms:.0f}",
        m.log_bytes,
    ]


TASK_WRITE = "complete a task"
MODEL_TARGET = 2.00  # dollars per 1,000 assets a month, batched ingestion (aim: 1.00)


def cost_inputs(results: list[Measured], facts: dict[str, Any]) -> Measures:
    """The figures docs/cost.md's model is worked out from."""
    from shared.routes import ROUTES  # noqa: PLC0415
    from shared.services.readings import PARALLEL_ASSETS  # noqa: PLC0415

    memory = {(route.method, route.path): route.memory_mb / 1024 for route in ROUTES}
    by_label = {m.request.label: m for m in results}

    def call(label: str) -> Call:
        measured = by_label[label]
        return Call(
            writes=measured.usage.write_units,
            reads=measured.usage.read_units,
            own_seconds=measured.own_ms / 1000,
            calls=measured.calls,
            parallel=PARALLEL_ASSETS if measured.request.per > 1 else 1,
            memory_gb=memory[measured.request.route],
            log_bytes=measured.log_bytes,
            readings=measured.request.per,
        )

    single, steady = call(SINGLE_READING), facts["steady"]
    sizes = list(facts["sizes"].values())
    return Measures(
        single=single,
        batch=call(MINUTE_BATCH),
        steady_extra_writes=max(0.0, steady.write_units / STEADY_READINGS - single.writes),
        steady_extra_reads=max(0.0, steady.read_units / STEADY_READINGS - single.reads),
        due_page=call(DUE_WORK),
        task_write=call(TASK_WRITE),
        asset_bytes=sizes[0],
        reading_bytes=sizes[1],
        task_bytes=sizes[2],
    )


def run(stack: Stack) -> tuple[Section, list[Measured], dict[str, Any]]:
    results, facts = measure_all(stack)
    by_label = {m.request.label: m for m in results}
    single = by_label[SINGLE_READING].usage.write_units
    batch = by_label[MINUTE_BATCH]
    per_reading = batch.usage.write_units / batch.request.per
    steady: Usage = facts["steady"]
    due = by_label[DUE_WORK].usage
    checks = [
        ("Write units, " + SINGLE_READING, single, SINGLE_READING_TARGET),
        ("Write units per reading, " + MINUTE_BATCH, per_reading, BATCH_READING_TARGET),
    ]
    failures = [
        f"{name}: {value:g}, target <= {target:g}" for name, value, target in checks if value > target
    ]
    summary_rows: list[list[object]] = [
        [name, _units(value), f"<= {target:g}", "PASS" if value <= target else "FAIL"]
        for name, value, target in checks
    ]
    summary_rows.append(
        [
            f"Write units per reading, average of {STEADY_READINGS} hourly readings of that asset",
            _units(round(steady.write_units / STEADY_READINGS, 3)),
            "report",
            "-",
        ]
    )
    summary_rows.append(["Read units, " + DUE_WORK, _units(due.read_units), "report", "-"])
    inputs = cost_inputs(results, facts)
    batched, single_shape = cost_model.monthly(inputs), cost_model.monthly(inputs, batched=False)
    ok = batched.total <= MODEL_TARGET
    if not ok:
        failures.append(f"model total, batched: ${batched.total:.2f}, target <= ${MODEL_TARGET:.2f}")
    summary_rows.append(
        [
            "Model, $ per 1,000 assets a month, one batch a minute (docs/cost.md)",
            f"{batched.total:.2f}",
            f"<= {MODEL_TARGET:.2f}",
            "PASS" if ok else "FAIL",
        ]
    )
    summary_rows.append(
        [
            "Model, $ per 1,000 assets a month, one request per reading",
            f"{single_shape.total:.2f}",
            "report",
            "-",
        ]
    )
    sized = "; ".join(f"{name} {size:,} B" for name, size in facts["sizes"].items())
    body = (
        "Units by DynamoDB's pricing rules (`bench/capacity.py`, checked against the developer "
        "guide's examples in `tests/unit/test_capacity_rules.py`): W write units, R read units, by "
        "table and index. Each kind of request is metered warm; handler time is a third request "
        "of the kind, unmetered, in this process against moto; log bytes are what that request's "
        "handler logs at INFO, metric lines included. docs/cost.md turns these into dollars.\n\n"
        + table(["Figure", "Measured", "Target", "Result"], summary_rows, "lrll")
        + f"\nItem sizes: {sized}.\n\n"
        + table(
            [
                "Route",
                "Request",
                "W",
                "W by table/index",
                "R",
                "R by table/index",
                "Per item",
                "Calls",
                "Handler ms",
                "Log bytes",
            ],
            [_row(m) for m in results],
            "llrlrllrrr",
        )
    )
    return Section("2. Capacity units per request", body, failures), results, facts
