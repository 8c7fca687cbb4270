"""What differs between stages, from the ``stages`` context in cdk.json, and the environment each
function runs with (the same function gives it to the stack and to ``make bench``).

Tracing is off by default in every stage. With tracing on, each cold start imports the X-Ray SDK
(110-170 ms on top of about 400 ms, docs/benchmarks.md), and at X-Ray's default sampling for
Lambda (the first request each second, then 5 %) a fleet reporting hourly is traced almost
entirely: 720,000 traces a month per 1,000 assets, about $3 beyond the free tier, three times the
whole budget (docs/cost.md). Logs carry the request id of every call and the metrics and alarms
say where to look; a stage turns tracing on (``"tracing": true``) while someone investigates.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from shared.data.reading_retention import SHORTEST_RETENTION_DAYS
from shared.routes import Route

DEFAULT_RETENTION_DAYS = 396  # 13 months: a year back from any day, and the month around it

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class StageSettings:
    name: str
    tracing: bool = False
    # Raw readings are kept this long, then only each day's last (shared/data/reading_retention);
    # 0 keeps all of them.
    readings_retention_days: int = DEFAULT_RETENTION_DAYS

    def __post_init__(self) -> None:
        days = self.readings_retention_days
        if days != 0 and days < SHORTEST_RETENTION_DAYS:
            raise ValueError(
                f"stage {self.name}: readings_retention_days must be 0 (keep all) or at least "
                f"{SHORTEST_RETENTION_DAYS} (the usage estimate reads 30 days of readings), not {days}"
            )

    @property
    def production(self) -> bool:
        return self.name == "prod"


def stage_settings(stage: str, context: dict[str, dict[str, object]] | None = None) -> StageSettings:
    """The settings of ``stage`` from cdk.json's ``stages`` context (or ``context`` given)."""
    if context is None:
        context = json.loads((ROOT / "cdk.json").read_text())["context"]["stages"]
    chosen = context.get(stage, {})
    return StageSettings(
        stage,
        tracing=bool(chosen.get("tracing", False)),
        readings_retention_days=int(str(chosen.get("readings_retention_days", DEFAULT_RETENTION_DAYS))),
    )


def function_environment(route: Route, settings: StageSettings, table_name: str) -> dict[str, str]:
    """The environment variables a route's function gets in ``settings``'s stage."""
    environment = {
        "TABLE_NAME": table_name,
        "STAGE": settings.name,
        "POWERTOOLS_SERVICE_NAME": "servicecycle",
        "POWERTOOLS_METRICS_NAMESPACE": "ServiceCycle",
        "POWERTOOLS_METRICS_FUNCTION_NAME": route.name,
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "READINGS_RETENTION_DAYS": str(settings.readings_retention_days),
    }
    if not settings.tracing:
        # Powertools' Tracer would import the X-Ray SDK even with nothing to trace.
        environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    return environment
