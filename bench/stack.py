"""The local stack the request benchmarks share: moto, the emulated gateway and a token."""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from local.auth import issue_token
from local.gateway import LocalGateway, LocalResponse


@dataclass
class Stack:
    moto: Any
    gateway: LocalGateway

    def token(self, account: str) -> str:
        return issue_token(account, "admin", key=self.gateway.signing_key, ttl=timedelta(hours=2))

    def stop(self) -> None:
        self.moto.stop()


def start() -> Stack:
    """moto on a free port (in memory, nothing persisted) and a gateway with a throwaway key.

    A key of our own rather than local.auth.signing_key(), which would create .servicecycle/.
    """
    from local.aws import start_moto  # noqa: PLC0415 - sets AWS_ENDPOINT_URL before any client exists

    moto, _ = start_moto()
    return Stack(moto, LocalGateway(secrets.token_hex(32).encode()))


def new_account(prefix: str) -> str:
    return f"acct-{prefix}-{secrets.token_hex(4)}"


def asset_body(n: int, kind: str = "vehicle") -> dict[str, Any]:
    return {
        "name": f"Truck {n}",
        "type": kind,
        "brand": "Volvo",
        "model": "FH16",
        "serial_number": f"S{n}",
        "external_id": f"ext-{n}",
    }


def reading_time(step: int) -> str:
    """Reading times that only go forward and stay in the past (future readings are refused)."""
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(days=20)
    return (base + timedelta(seconds=step)).strftime("%Y-%m-%dT%H:%M:%SZ")


class InProcessClient:
    """Requests straight into the gateway (no HTTP), as one admin of one account."""

    def __init__(self, stack: Stack, account: str) -> None:
        self.stack, self.account = stack, account
        self.gateway = stack.gateway
        self.headers = {
            "Authorization": f"Bearer {stack.token(account)}",
            "Content-Type": "application/json",
        }

    def as_account(self, account: str) -> "InProcessClient":
        """The same stack, as an admin of another account."""
        return InProcessClient(self.stack, account)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> LocalResponse:
        raw = json.dumps(body).encode() if body is not None else b""
        response = self.gateway.handle(method, path, {**self.headers, **(headers or {})}, raw)
        if not 200 <= response.status < 300:
            raise RuntimeError(f"{method} {path} answered {response.status}: {response.body[:500]}")
        return response
