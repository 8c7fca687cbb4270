"""Hostile or careless input on every route that takes a body, generated from the route table."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from shared.models.common import NOT_BLANK
from shared.routes import ROUTES, Route
from tests.conftest import Api
from tests.security.catalogue import ECHOES, make_objects, request_for, spec_of

WITH_BODY = [route for route in ROUTES if not route.public and spec_of(route).body is not None]
UNICODE = "Ölwechsel \u2013 整備 🚜 \ufeffx"  # en dash, CJK, emoji, a zero-width no-break space


def label(route: Route) -> str:
    return f"{route.method} {route.path}"


def free_text_fields(route: Route) -> set[str]:
    """Top-level body fields that take any text (not an enum, a date or a number)."""
    schema = spec_of(route).body.model_json_schema()

    def is_text(prop: dict) -> bool:
        options = prop.get("anyOf", [prop])
        return any(
            o.get("type") == "string"
            and not {"enum", "const", "format"} & set(o)
            and o.get("pattern", NOT_BLANK) == NOT_BLANK
            for o in options
        )

    properties = schema.get("properties", {}).items()
    return {name for name, prop in properties if is_text(prop) and not name.endswith("_id")}


def prepared(api: Api, route: Route) -> tuple[str, dict]:
    path, body = request_for(route, make_objects(api, route))
    return path, body


def _nested(depth: int) -> bytes:
    return b'{"x": ' + b"[" * depth + b"]" * depth + b"}"


# Bodies nobody should send, each with the statuses that refuse it (made from the route's valid
# body): every route with a body is sent all of them, on one set of objects.
MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], bytes], dict[str, str], set[int]]] = {
    "over one megabyte": (lambda body: json.dumps({**body, "padding": "x" * 1_100_000}).encode(), {}, {413}),
    "not JSON (text/plain)": (lambda body: json.dumps(body).encode(), {"Content-Type": "text/plain"}, {415}),
    "nested 100 deep": (lambda _: _nested(100), {}, {400, 422}),
    "nested 20,000 deep": (lambda _: _nested(20_000), {}, {400, 422}),
    **{
        f"the wrong shape {raw!r}": ((lambda _, raw=raw: raw), {}, {400, 422})
        for raw in (b"null", b"42", b'"text"', b"[]", b"{", b"\xff\xfe")
    },
}


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
def test_malformed_bodies_are_client_errors(route: Route, api: Api) -> None:
    path, body = prepared(api, route)
    for case, (make, headers, refused) in MALFORMED.items():
        response = api.request(route.method, path, body=make(body), headers=headers)
        assert response.status in refused, f"{case}: {response.status} {response.body[:300]}"


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
def test_unknown_fields_are_refused_by_name(route: Route, api: Api) -> None:
    path, body = prepared(api, route)
    response = api.request(route.method, path, {**body, "surprise_field": 1})
    assert response.status == 422
    assert "body.surprise_field" in [d["field"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("route", [r for r in WITH_BODY if free_text_fields(r)], ids=label)
def test_unicode_in_every_text_field_round_trips(route: Route, api: Api) -> None:
    ids = make_objects(api, route)
    path, body = request_for(route, ids)
    text_fields = sorted(free_text_fields(route) & set(body))
    assert text_fields, f"give {label(route)} a sample body with its text fields in the catalogue"
    sent = {**body, **{name: f"{UNICODE} {name}" for name in text_fields}}
    response = api.request(route.method, path, sent)
    assert response.status in (200, 201), response.body
    echo = ECHOES.get((route.method, route.path))
    echoed = echo(api, ids) if echo else response.json()
    assert {name: echoed[name] for name in text_fields} == {name: sent[name] for name in text_fields}
