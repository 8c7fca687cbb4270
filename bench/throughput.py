"""Throughput and latency of the local API over real HTTP, 8 clients at once.

A baseline to notice regressions in the request path (gateway emulation, token check, handler,
serialization). It is not a prediction for AWS: moto answers one request at a time and the load
generator runs in the server's process, sharing its GIL and the machine's 2 cores.
"""

import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bench.dynamodb_calls import CallCounter
from bench.report import Section, median, percentile, table
from bench.stack import Stack, asset_body, new_account, reading_time
from local.server import make_server

CONCURRENCY = 8
WARMUP_REQUESTS = 5


@dataclass
class WorkerResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    label: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: list[str]
    dynamodb_calls: int = 0


class HttpClient:
    """One keep-alive connection (the server speaks HTTP/1.1), reopened after a failure."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        raw = json.dumps(body).encode() if body is not None else None
        try:
            self.connection.request(method, path, body=raw, headers=self.headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise

    def close(self) -> None:
        self.connection.close()


# A worker's request: (its client, the worker's own number, its n-th request) -> (status, body).
Request = Callable[[HttpClient, int, int], tuple[int, bytes]]


def _load(label: str, port: int, token: str, request: Request, duration: float, max_requests: int) -> Outcome:
    tickets = itertools.count()  # next() on it is atomic under the GIL: a shared request budget
    deadline = time.perf_counter() + duration

    def worker(number: int) -> WorkerResult:
        client = HttpClient(port, token)
        result = WorkerResult()
        for n in itertools.count():
            if next(tickets) >= max_requests or time.perf_counter() >= deadline:
                break
            started = time.perf_counter()
            try:
                status, payload = request(client, number, n)
            except (OSError, http.client.HTTPException) as error:
                result.errors.append(f"{type(error).__name__}: {error}")
                continue
            if 200 <= status < 300:
                result.latencies.append(time.perf_counter() - started)
            else:
                result.errors.append(f"{status}: {payload[:200]!r}")
        client.close()
        return result

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(worker, range(CONCURRENCY)))
    seconds = time.perf_counter() - started
    latencies = [latency for result in results for latency in result.latencies]
    errors = [error for result in results for error in result.errors]
    return Outcome(label, len(latencies) + len(errors), seconds, latencies, errors)


def run(stack: Stack, duration: float = 8.0, max_requests: int = 1500) -> Section:
    from shared.data.dynamo import client  # noqa: PLC0415 - only once moto's endpoint is set

    server = make_server(stack.gateway, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    token = stack.token(new_account("http"))
    try:
        seed = HttpClient(port, token)
        # One asset to read, one per worker to record readings on (so each worker's readings go
        # forward in time and value on its own asset and none is refused), one for the warm-up.
        assets = []
        for n in range(CONCURRENCY + 2):
            status, payload = seed.request("POST", "/assets", asset_body(n))
            if status != 201:
                raise RuntimeError(f"seeding failed: {status} {payload[:300]!r}")
            assets.append(json.loads(payload))
        read_path = f"/assets/{assets[0]['id']}"
        writers = assets[1 : CONCURRENCY + 1]
        spare = assets[-1]["id"]

        def get_asset(client: HttpClient, worker: int, n: int) -> tuple[int, bytes]:
            return client.request("GET", read_path)

        def post_reading(client: HttpClient, worker: int, n: int) -> tuple[int, bytes]:
            body = {"time": reading_time(n), "odometer_km": 100.0 + n * 3.5}
            return client.request("POST", f"/assets/{writers[worker]['id']}/readings", body)

        # Warm-up outside the measurement: handler imports and first-call caches.
        for n in range(WARMUP_REQUESTS):
            for status, payload in (
                get_asset(seed, 0, n),
                seed.request(
                    "POST", f"/assets/{spare}/readings", {"time": reading_time(n), "odometer_km": n}
                ),
            ):
                if not 200 <= status < 300:
                    raise RuntimeError(f"warm-up failed: {status} {payload[:300]!r}")
        seed.close()
        runs = [("`GET /assets/{id}`", get_asset), ("`POST /assets/{id}/readings`", post_reading)]
        outcomes = []
        for label, request in runs:
            # DynamoDB calls are counted too: under concurrency, retries would show as more calls.
            with CallCounter(client) as counter:
                outcome = _load(
                    f"{label}, {CONCURRENCY} clients", port, token, request, duration, max_requests
                )
            outcome.dynamodb_calls = counter.snapshot()[0]
            outcomes.append(outcome)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    rows = []
    failures = []
    for outcome in outcomes:
        ok = outcome.latencies or [float("nan")]
        rows.append(
            [
                outcome.label,
                outcome.requests,
                f"{outcome.seconds:.1f}",
                f"{len(outcome.latencies) / outcome.seconds:.1f}",
                f"{median(ok) * 1000:.1f}",
                f"{percentile(ok, 0.99) * 1000:.1f}",
                f"{max(ok) * 1000:.1f}",
                f"{outcome.dynamodb_calls / max(outcome.requests, 1):.2f}",
                len(outcome.errors),
            ]
        )
        if outcome.errors:
            failures.append(
                f"{outcome.label}: {len(outcome.errors)} failed requests, e.g. {outcome.errors[0]}"
            )
    body = (
        f"Local server (`local/server.py`) on a free port, {CONCURRENCY} threads with one keep-alive "
        f"connection each, each run for {duration:.0f} s or {max_requests} requests, whichever "
        "comes first, after a short warm-up. A baseline, no target; every request must succeed.\n\n"
        + table(
            [
                "Request",
                "Requests",
                "Seconds",
                "Requests/s",
                "p50 ms",
                "p99 ms",
                "Max ms",
                "Calls/request",
                "Errors",
            ],
            rows,
            "lrrrrrrrr",
        )
    )
    return Section("4. Local API throughput over HTTP", body, failures)
