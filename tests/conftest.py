"""Test fixtures shared by every suite.

AWS is an in-process moto, started once per test process before any handler is imported (the
handlers create their DynamoDB client at import, pointed at moto through AWS_ENDPOINT_URL). Each
test gets an account of its own, so tests never see each other's data and can run in parallel.
"""

import json
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from local.auth import issue_token
from local.gateway import LocalGateway, LocalResponse

SIGNING_KEY = secrets.token_hex(32).encode()
_moto: Any = None


def pytest_configure(config: pytest.Config) -> None:
    global _moto
    if _moto is None:
        from local.aws import start_moto  # noqa: PLC0415

        _moto, _ = start_moto()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _moto is not None:
        _moto.stop()


@dataclass
class Api:
    """A client of the local API as one user: an account and a role, calling the real handlers."""

    gateway: LocalGateway
    account: str
    role: str = "admin"
    default_headers: dict[str, str] = field(default_factory=dict)

    def token(self, ttl: timedelta = timedelta(hours=1)) -> str:
        return issue_token(self.account, self.role, key=SIGNING_KEY, ttl=ttl)

    def as_(self, *, role: str | None = None, account: str | None = None) -> "Api":
        return Api(self.gateway, account or self.account, role or self.role)

    def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        auth: bool = True,
    ) -> LocalResponse:
        sent = {"Content-Type": "application/json", **self.default_headers}
        if auth:
            sent["Authorization"] = f"Bearer {self.token()}"
        sent.update(headers or {})
        raw = body if body is not None else (json.dumps(json_body).encode() if json_body is not None else b"")
        return self.gateway.handle(method, path, sent, raw)

    def get(self, path: str, **kwargs: Any) -> LocalResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> LocalResponse:
        return self.request("POST", path, json_body, **kwargs)

    def put(self, path: str, json_body: Any = None, **kwargs: Any) -> LocalResponse:
        return self.request("PUT", path, json_body, **kwargs)

    def patch(self, path: str, json_body: Any = None, **kwargs: Any) -> LocalResponse:
        return self.request("PATCH", path, json_body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> LocalResponse:
        return self.request("DELETE", path, **kwargs)

    def create_asset(self, **fields: Any) -> dict[str, Any]:
        response = self.post("/assets", {"name": "Truck 1", **fields})
        assert response.status == 201, response.body
        return response.json()


def stored_items(account: str) -> dict[tuple[str, str], Any]:
    """Every item an account owns, straight from moto's memory: what a refused write must leave
    as it was. (A test may look at everything; the product never scans.)"""
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

    from local.settings import LOCAL_REGION, LOCAL_TABLE  # noqa: PLC0415

    table = dynamodb_backends["123456789012"][LOCAL_REGION].tables[LOCAL_TABLE]
    prefix = f"ACCOUNT#{account}"
    return {
        (str(hash_key.value), str(range_key.value)): item.to_json()
        for hash_key, ranged in list(table.items.items())
        if str(hash_key.value) == prefix or str(hash_key.value).startswith(f"{prefix}#")
        for range_key, item in list(ranged.items())
    }


@pytest.fixture(scope="session")
def gateway() -> LocalGateway:
    return LocalGateway(SIGNING_KEY, rate_limits=False)


@pytest.fixture
def account() -> str:
    return f"acct-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def api(gateway: LocalGateway, account: str) -> Iterator[Api]:
    yield Api(gateway, account)


@pytest.fixture
def other_api(gateway: LocalGateway) -> Api:
    """A user of another account: must never see or change the first account's data."""
    return Api(gateway, f"acct-{uuid.uuid4().hex[:12]}")
