"""`servicecycle dev` as a newcomer runs it: a real process serving HTTP with demo data."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@contextmanager
def dev_server(home: Path, *args: str) -> Iterator[tuple[str, str]]:
    """Start `servicecycle dev` on a free port; yield its base URL and the token it printed."""
    env = {**os.environ, "SERVICECYCLE_HOME": str(home)}
    for name in ("AWS_ENDPOINT_URL", "TABLE_NAME"):  # the child starts its own moto
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "local.cli", "dev", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        base = token = None
        assert process.stdout is not None
        for line in process.stdout:
            if "local API on" in line:
                base = line.split(" on ")[1].split()[0]
            if line.startswith("eyJ"):
                token = line.strip()
            if line.startswith("Try:"):
                break
        assert base and token, "the server did not print its URL and a token"
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=10)


def call(url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_dev_serves_health_docs_and_demo_data_with_the_printed_token(tmp_path: Path) -> None:
    with dev_server(tmp_path) as (base, token):
        assert call(f"{base}/health")[0] == 200
        status, document = call(f"{base}/openapi.json")
        assert status == 200 and document["openapi"].startswith("3.1")
        assert call(f"{base}/assets")[0] == 401
        status, page = call(f"{base}/assets", token)
        assert status == 200
        assert {"Truck 12", "Forklift 3"} <= {a["name"] for a in page["items"]}
        assert all(a["current"]["at"] for a in page["items"] if a["meters"])
        status, tasks = call(f"{base}/tasks?sort=status", token)
        assert status == 200
        assert {"overdue", "upcoming"} <= {task["status"] for task in tasks["items"]}
        status, orders = call(f"{base}/work-orders", token)
        assert status == 200
        assert [(o["status"], o["state"]) for o in orders["items"]] == [
            ("in_progress", "open"),
            ("closed_complete", "closed"),
        ]
        assert orders["items"][0]["totals"]["gross"] > 0 and orders["items"][0]["tasks"]


def test_persisted_data_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "data.json"
    with dev_server(tmp_path, "--persist", str(store), "--no-demo") as (base, token):
        status, asset = call(f"{base}/assets", token, {"name": "Kept", "type": "machine"})
        assert status == 201
        assert call(f"{base}/assets/{asset['id']}/readings", token, {"hours": 12.5})[0] == 201
    with dev_server(tmp_path, "--persist", str(store), "--no-demo") as (base, token):
        status, kept = call(f"{base}/assets/{asset['id']}", token)
        assert status == 200
        assert kept["current"]["hours"] == 12.5
        assert kept["name"] == "Kept"


def test_token_command_prints_a_token_the_server_accepts(tmp_path: Path) -> None:
    env = {**os.environ, "SERVICECYCLE_HOME": str(tmp_path)}
    with dev_server(tmp_path, "--no-demo") as (base, _):
        printed = subprocess.run(
            [sys.executable, "-m", "local.cli", "token", "--account", "my-fleet", "--role", "viewer"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.strip()
        assert call(f"{base}/assets", printed) == (200, {"items": [], "next": None})
        assert call(f"{base}/assets", printed, {"name": "no"})[0] == 403


def test_item10_any_method_gets_an_answer_like_api_gateways(tmp_path: Path) -> None:
    """#10 item 10: undeclared methods are a JSON 405 with Allow, never the stdlib's 501 page."""
    import http.client  # noqa: PLC0415
    from urllib.parse import urlsplit  # noqa: PLC0415

    with dev_server(tmp_path, "--no-demo") as (base, _):
        address = urlsplit(base)
        for method in ("TRACE", "CONNECT", "PROPFIND", "HEAD"):
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            connection.request(method, "/assets")
            response = connection.getresponse()
            payload = response.read()
            assert response.status == 405, method
            assert response.getheader("Allow") == "GET, POST, OPTIONS"
            assert response.getheader("Content-Type") == "application/json"
            if method != "HEAD":
                assert json.loads(payload)["error"]["code"] == "method_not_allowed"
            connection.close()


def test_item10_a_burst_of_connections_is_queued_not_reset(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with dev_server(tmp_path, "--no-demo") as (base, _), ThreadPoolExecutor(48) as pool:
        statuses = list(pool.map(lambda _n: call(f"{base}/health")[0], range(48)))
    assert statuses == [200] * 48


def test_item10_the_listen_backlog_takes_a_burst() -> None:
    """The stdlib default backlog is 5: a burst of clients beyond it waits for SYN retries or
    is reset. The server listens with room for a burst."""
    from local.gateway import LocalGateway  # noqa: PLC0415
    from local.server import make_server  # noqa: PLC0415

    server = make_server(LocalGateway(b"k"), "127.0.0.1", 0, quiet=True)
    try:
        assert server.request_queue_size >= 128
    finally:
        server.server_close()


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SERVICECYCLE_HOME": str(home)}
    for name in ("AWS_ENDPOINT_URL", "TABLE_NAME", "DELIVERY_QUEUE_URL"):  # found through dev.json
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "local.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_evaluate_and_outbox_show_what_the_dev_stack_sent(tmp_path: Path) -> None:
    assert cli(tmp_path, "evaluate").returncode == 2  # no dev stack running
    with dev_server(tmp_path, "--no-demo", "--tick", "0") as (base, token):
        assert cli(tmp_path, "evaluate", "--at", "next monday").returncode == 2
        status, asset = call(f"{base}/assets", token, {"name": "Truck 9", "type": "vehicle"})
        assert status == 201
        body = {
            "asset_id": asset["id"],
            "name": "Brake check",
            "conditions": {"date": {"due": "2026-01-01"}},
            "recipients": {"sms": ["+4915112345678"], "emails": ["fleet@example.com"]},
        }
        status, task = call(f"{base}/tasks", token, body)
        assert status == 201 and task["status"] == "overdue"
        evaluated = cli(tmp_path, "evaluate", "--at", "2099-01-01T00:00:00Z")
        assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
        assert "planned -> overdue" in evaluated.stdout and "sent" in evaluated.stdout
        shown = cli(tmp_path, "outbox", "--json")
        assert shown.returncode == 0, shown.stderr
        sent = {message["channel"]: message for message in json.loads(shown.stdout)}
        assert sent["sms"]["to"] == "+4915112345678" and sent["sms"]["body"].startswith(
            "OVERDUE: Brake check"
        )
        assert sent["email"]["subject"] == "Overdue: Brake check on Truck 9"
        assert sent["sms"]["task_id"] == task["id"] and sent["sms"]["status"] == "sent"
        assert "0 transitions" in cli(tmp_path, "evaluate").stdout  # told once
