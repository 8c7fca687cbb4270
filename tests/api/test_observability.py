"""What the functions tell operations: every log line names the account and the route, and the
business events are counted as CloudWatch metrics (embedded metric format on stdout)."""

import json
from typing import Any

import pytest

from tests.conftest import Api


@pytest.fixture
def metrics_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")


def emitted(output: str) -> list[dict[str, Any]]:
    """The EMF documents printed: their metric names with values and dimensions."""
    found = []
    for line in output.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            document = json.loads(line)
            [directive] = document["_aws"]["CloudWatchMetrics"]
            for metric in directive["Metrics"]:
                value = document[metric["Name"]]
                total = sum(value) if isinstance(value, list) else value
                found.append({"name": metric["Name"], "value": total, "code": document.get("code")})
    return found


def test_business_events_are_counted(api: Api, metrics_on: None, capsys: pytest.CaptureFixture[str]) -> None:
    truck = api.create_asset(name="Truck", type="vehicle")
    capsys.readouterr()
    api.post(
        "/readings",
        {"readings": [{"asset_id": truck["id"], "odometer_km": 10}, {"asset_id": "x", "hours": 1}]},
    )
    api.post(
        "/tasks", {"asset_id": truck["id"], "name": "Oil", "conditions": {"distance": {"limit_km": 500}}}
    )
    api.get("/assets")  # a read counts nothing
    counted = [(m["name"], m["value"]) for m in emitted(capsys.readouterr().out)]
    assert counted == [("ReadingsRecorded", 1.0), ("ReadingsRejected", 1.0), ("TasksCreated", 1.0)]


def test_refused_requests_are_counted_by_error_code(
    api: Api, metrics_on: None, capsys: pytest.CaptureFixture[str]
) -> None:
    api.get("/assets?limit=0")
    api.get("/assets/ast_01JD00000000000000000000ZZ")
    refused = [(m["name"], m["code"]) for m in emitted(capsys.readouterr().out)]
    assert refused == [("RequestsRefused", "validation_error"), ("RequestsRefused", "not_found")]


def test_every_log_line_names_the_account_and_the_route(api: Api) -> None:
    import io  # noqa: PLC0415

    from shared.observability import logger  # noqa: PLC0415

    handler, written = logger.registered_handler, io.StringIO()
    stream = handler.stream  # type: ignore[attr-defined]
    handler.stream = written  # type: ignore[attr-defined]
    logger.setLevel("INFO")
    try:
        api.get("/assets?limit=0")
    finally:
        logger.setLevel("WARNING")
        handler.stream = stream  # type: ignore[attr-defined]
    [line] = [json.loads(out) for out in written.getvalue().splitlines() if '"request refused"' in out]
    assert (line["account_id"], line["route"], line["code"]) == (
        api.account,
        "GET /assets",
        "validation_error",
    )


def test_with_metrics_off_nothing_piles_up_or_prints(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    """Locally metrics are off: a request's counts are dropped, not kept until a hundred print."""
    from shared.observability import metrics  # noqa: PLC0415

    truck = api.create_asset(name="Truck", type="vehicle")
    for km in range(120):
        api.post(f"/assets/{truck['id']}/readings", {"odometer_km": km})
    assert emitted(capsys.readouterr().out) == []
    assert metrics.provider.metric_set == {}
