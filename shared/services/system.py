"""The system routes: is the function alive, and what does the API look like."""

from datetime import datetime
from typing import Any

from shared.models.system import Health
from shared.openapi import VERSION, build_document


def health(now: datetime) -> Health:
    return Health(status="ok", version=VERSION, time=now.isoformat())


def api_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built once per process from the route table and the handlers."""
    return build_document()
