"""What differs between stages, from the ``stages`` context in cdk.json, and the environment each
function runs with (the same function gives it to the stack and to ``make bench``).

Tracing is off by default in every stage. With tracing on, each cold start imports the X-Ray SDK
(110-170 ms on top of about 400 ms, docs/benchmarks.md), and at X-Ray's default sampling for
Lambda (the first request each second, then 5 %) a fleet reporting hourly is traced almost
entirely: 720,000 traces a month per 1,000 assets, about $3 beyond the free tier, three times the
whole budget (docs/cost.md). Logs carry the request id of every call and the metrics and alarms
say where to look; a stage turns tracing on (``"tracing": true``) while someone investigates.

Notifications (infra/notifications.py): ``evaluation_minutes`` is how often the evaluator runs
(1 to 60; a change is told within one period), ``mail_domain`` the domain mail is sent from (an
SES identity its owner verifies in DNS; a stage that deploys to production must name its own,
the placeholder is refused there), ``sms_spend_alarm_usd`` the month's SMS spend that raises an
alarm (80 % of the $1 that SNS allows an account out of the SMS sandbox by default).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.data.reading_retention import SHORTEST_RETENTION_DAYS
from shared.routes import Route

DEFAULT_RETENTION_DAYS = 396  # 13 months: a year back from any day, and the month around it
DEFAULT_EVALUATION_MINUTES = 5
EVALUATION_MINUTES = range(1, 61)  # EventBridge Scheduler rates down to a minute; hourly at least
PLACEHOLDER_MAIL_DOMAIN = "mail.example.com"
DEFAULT_SMS_SPEND_ALARM_USD = 0.8
# Documentation domains (RFC 2606): nobody can verify them as an SES identity.
_DOCUMENTATION_DOMAINS = ("example.com", "example.net", "example.org")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SERVICE_NAME = "servicecycle"  # Powertools' service: the ``service`` dimension of custom metrics
METRICS_NAMESPACE = "ServiceCycle"

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class StageSettings:
    name: str
    tracing: bool = False
    # Raw readings are kept this long, then only each day's last (shared/data/reading_retention);
    # 0 keeps all of them.
    readings_retention_days: int = DEFAULT_RETENTION_DAYS
    evaluation_minutes: int = DEFAULT_EVALUATION_MINUTES
    mail_domain: str = PLACEHOLDER_MAIL_DOMAIN
    sms_spend_alarm_usd: float = DEFAULT_SMS_SPEND_ALARM_USD

    def __post_init__(self) -> None:
        days = self.readings_retention_days
        if days != 0 and days < SHORTEST_RETENTION_DAYS:
            raise ValueError(
                f"stage {self.name}: readings_retention_days must be 0 (keep all) or at least "
                f"{SHORTEST_RETENTION_DAYS} (the usage estimate reads 30 days of readings), not {days}"
            )
        minutes = self.evaluation_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes not in EVALUATION_MINUTES:
            raise ValueError(
                f"stage {self.name}: evaluation_minutes must be a whole number of minutes from "
                f"{EVALUATION_MINUTES.start} to {EVALUATION_MINUTES.stop - 1}, not {minutes!r}"
            )
        if not isinstance(self.mail_domain, str) or not _DOMAIN.match(self.mail_domain):
            raise ValueError(
                f"stage {self.name}: mail_domain must be a domain name in lower case such as "
                f"{PLACEHOLDER_MAIL_DOMAIN}, not {self.mail_domain!r}"
            )
        spend = self.sms_spend_alarm_usd
        if isinstance(spend, bool) or not isinstance(spend, int | float) or not 0 < spend < 1_000_000:
            raise ValueError(
                f"stage {self.name}: sms_spend_alarm_usd must be a positive amount, not {spend!r}"
            )

    @property
    def production(self) -> bool:
        return self.name == "prod"

    @property
    def mail_from(self) -> str:
        return f"notifications@{self.mail_domain}"

    def check_deployable(self) -> None:
        """Refuse to build a production stack that would mail from a domain nobody can verify.

        Checked by the stack, not on reading the settings: ``make bench`` reads every stage's
        settings and deploys none.
        """
        domain = self.mail_domain
        if self.production and any(
            domain == documentation or domain.endswith(f".{documentation}")
            for documentation in _DOCUMENTATION_DOMAINS
        ):
            raise ValueError(
                f"stage {self.name}: set mail_domain (cdk.json, context stages.{self.name}) to the domain "
                f"notifications are mailed from, one you can verify in SES; {domain} is a placeholder"
            )


def _parsed(value: object, parse: Callable[[str], object]) -> object:
    """``value`` parsed when it is a string that spells one (cdk.json gives numbers, ``-c`` gives
    strings), else as it is, for StageSettings to accept or refuse with its message."""
    if isinstance(value, str):
        try:
            return parse(value.strip())
        except ValueError:
            return value
    return value


def stage_settings(stage: str, context: dict[str, dict[str, object]] | None = None) -> StageSettings:
    """The settings of ``stage`` from cdk.json's ``stages`` context (or ``context`` given)."""
    if context is None:
        context = json.loads((ROOT / "cdk.json").read_text())["context"]["stages"]
    chosen = context.get(stage, {})
    return StageSettings(
        stage,
        tracing=bool(chosen.get("tracing", False)),
        readings_retention_days=int(str(chosen.get("readings_retention_days", DEFAULT_RETENTION_DAYS))),
        # Checked by StageSettings, which names the setting and what it accepts.
        evaluation_minutes=_parsed(  # type: ignore[arg-type]
            chosen.get("evaluation_minutes", DEFAULT_EVALUATION_MINUTES), int
        ),
        mail_domain=_parsed(  # type: ignore[arg-type]
            chosen.get("mail_domain", PLACEHOLDER_MAIL_DOMAIN), str.lower
        ),
        sms_spend_alarm_usd=_parsed(  # type: ignore[arg-type]
            chosen.get("sms_spend_alarm_usd", DEFAULT_SMS_SPEND_ALARM_USD), float
        ),
    )


def base_environment(name: str, settings: StageSettings, table_name: str) -> dict[str, str]:
    """The environment variables every function of ``settings``'s stage gets, ``name`` its own."""
    environment = {
        "TABLE_NAME": table_name,
        "STAGE": settings.name,
        "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "POWERTOOLS_METRICS_FUNCTION_NAME": name,
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "READINGS_RETENTION_DAYS": str(settings.readings_retention_days),
    }
    if not settings.tracing:
        # Powertools' Tracer would import the X-Ray SDK even with nothing to trace.
        environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    return environment


def function_environment(
    route: Route, settings: StageSettings, table_name: str, files_bucket: str | None = None
) -> dict[str, str]:
    """The environment variables a route's function gets in ``settings``'s stage; a function with
    rights on the files bucket (``storage``) gets its name."""
    environment = base_environment(route.name, settings, table_name)
    if route.storage and files_bucket:
        environment["FILES_BUCKET"] = files_bucket
    return environment
