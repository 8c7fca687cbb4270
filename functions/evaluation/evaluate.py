"""Scheduled: evaluate what is due, record the transitions, hand their notifications over."""

from typing import Any

from shared.clock import utc_now
from shared.services.evaluation import run_scheduled


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return run_scheduled(event, utc_now(), context)
