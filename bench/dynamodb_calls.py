"""DynamoDB calls per request, counted on the one client every handler shares.

Calls are what a request costs in latency (each is a network round trip in AWS) and, with the
items they touch, in capacity. A botocore hook on ``shared.data.dynamo.client`` sees every call
any handler makes, including those from worker threads (the readings batch writes in parallel).
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.report import Section, table
from bench.stack import InProcessClient, Stack, asset_body, new_account, reading_time

# Operations whose one call carries many items: the count of items is shown next to the call.
_ITEMS: dict[str, Callable[[dict[str, Any]], int]] = {
    "TransactWriteItems": lambda params: len(params.get("TransactItems", ())),
    "TransactGetItems": lambda params: len(params.get("TransactItems", ())),
    "BatchGetItem": lambda params: sum(
        len(t.get("Keys", ())) for t in params.get("RequestItems", {}).values()
    ),
    "BatchWriteItem": lambda params: sum(len(r) for r in params.get("RequestItems", {}).values()),
}


class CallCounter:
    """Counts API calls and HTTP attempts (``before-send``, once per attempt, so retries show).

    Calls are counted at ``before-parameter-build``, which fires once per call with the
    caller's own parameters (``before-call`` already has the serialized request).
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.items: Counter[str] = Counter()
        self.sends = 0

    def _on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        with self.lock:
            self.calls[model.name] += 1
            if model.name in _ITEMS:
                self.items[model.name] += _ITEMS[model.name](params)

    def _on_send(self, **_: Any) -> None:
        with self.lock:
            self.sends += 1

    def __enter__(self) -> "CallCounter":
        self.client.meta.events.register("before-parameter-build.dynamodb", self._on_call)
        self.client.meta.events.register("before-send.dynamodb", self._on_send)
        return self

    def __exit__(self, *_: object) -> None:
        self.client.meta.events.unregister("before-parameter-build.dynamodb", self._on_call)
        self.client.meta.events.unregister("before-send.dynamodb", self._on_send)

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.items.clear()
            self.sends = 0

    def snapshot(self) -> tuple[int, str, int]:
        with self.lock:
            total = sum(self.calls.values())
            parts = []
            for operation, count in sorted(self.calls.items()):
                times = f" x{count}" if count > 1 else ""
                items = f" ({self.items[operation]} items)" if operation in self.items else ""
                parts.append(f"{operation}{times}{items}")
            return total, ", ".join(parts) or "none", self.sends - total


@dataclass
class Scenario:
    label: str
    target: int | None  # most calls allowed; None: reported only
    request: Callable[[int], object]  # makes the request for the n-th time (fresh values each time)


def _scenarios(api: InProcessClient, assets: list[dict[str, Any]]) -> list[Scenario]:
    asset_id = assets[0]["id"]
    batch_assets = assets[1:11]

    def one_reading(n: int) -> None:
        body = {"time": reading_time(n), "odometer_km": 1000.0 + n * 12.5}
        api.request("POST", f"/assets/{assets[11]['id']}/readings", body)

    def batch(by_external_id: bool) -> Callable[[int], None]:
        def send(n: int) -> None:
            readings = []
            for step in range(10):  # 10 readings for each of the 10 assets, in time order
                when = 1000 * (1 + n + 10 * by_external_id) + step
                for asset in batch_assets:
                    who = (
                        {"external_id": asset["external_id"]} if by_external_id else {"asset_id": asset["id"]}
                    )
                    readings.append({**who, "time": reading_time(when), "odometer_km": float(when)})
            result = api.request("POST", "/readings", {"readings": readings}).json()
            if result["rejected"]:
                raise RuntimeError(f"the batch had rejected readings: {result['results'][:3]}")

        return send

    return [
        Scenario("`GET /assets/{id}`", 1, lambda n: api.request("GET", f"/assets/{asset_id}")),
        Scenario("`GET /assets?limit=50` (a full page)", 1, lambda n: api.request("GET", "/assets?limit=50")),
        Scenario(
            "`POST /assets` (no Idempotency-Key)",
            1,
            lambda n: api.request("POST", "/assets", asset_body(900 + n)),
        ),
        Scenario(
            "`PATCH /assets/{id}` (no Idempotency-Key)",
            1,
            lambda n: api.request("PATCH", f"/assets/{asset_id}", {"name": f"Renamed {n}"}),
        ),
        Scenario("`POST /assets/{id}/readings`", None, one_reading),
        Scenario("`POST /readings`, 100 readings over 10 assets by asset_id", None, batch(False)),
        Scenario("`POST /readings`, 100 readings over 10 assets by external_id", None, batch(True)),
    ]


def run(stack: Stack) -> Section:
    from shared.data.dynamo import client  # noqa: PLC0415 - only once moto's endpoint is set

    api = InProcessClient(stack, new_account("calls"))
    # 60 assets: the list request then reads a full page of 50 and has a next page.
    assets = [api.request("POST", "/assets", asset_body(n)).json() for n in range(60)]
    rows = []
    failures = []
    with CallCounter(client) as counter:
        for scenario in _scenarios(api, assets):
            # Measured on the second call: the first one in a process may also warm caches.
            counts = []
            for n in range(2):
                counter.reset()
                started = time.perf_counter()
                scenario.request(n)
                elapsed_ms = (time.perf_counter() - started) * 1000
                counts.append(counter.snapshot())
            calls, operations, retries = counts[-1]
            shown = str(calls) + (f" (+{retries} retried)" if retries else "")
            if scenario.target is None:
                target, verdict = "report", "-"
            else:
                target = f"<= {scenario.target}"
                verdict = "PASS" if calls <= scenario.target else "FAIL"
                if calls > scenario.target:
                    failures.append(
                        f"DynamoDB calls of {scenario.label}: {calls} ({operations}), target {target}"
                    )
            first = counts[0][0]
            rows.append([scenario.label, shown, operations, first, target, verdict, f"{elapsed_ms:.0f}"])
    body = (
        "One admin's requests through the emulated API Gateway into the real handlers, moto behind "
        "them. Calls are counted on a warm function (the second request of its kind); the "
        "first request's count is shown too. The time is the warm request's, in this process against "
        "moto (whose transactions copy the table), so only its order of magnitude means anything.\n\n"
        + table(
            ["Request", "Calls", "Operations", "First request", "Target", "Result", "Time ms"],
            rows,
            "lrlrllr",
        )
    )
    return Section("3. DynamoDB calls per request", body, failures)
