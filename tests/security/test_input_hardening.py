"""Hostile or careless input on every route that takes a body, generated from the route table."""

import json

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


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
def test_a_body_over_one_megabyte_is_413(route: Route, api: Api) -> None:
    path, body = prepared(api, route)
    padded = json.dumps({**body, "padding": "x" * 1_100_000}).encode()
    assert api.request(route.method, path, body=padded).status == 413


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
def test_a_body_that_is_not_json_is_415(route: Route, api: Api) -> None:
    path, body = prepared(api, route)
    response = api.request(
        route.method, path, body=json.dumps(body).encode(), headers={"Content-Type": "text/plain"}
    )
    assert response.status == 415


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
def test_unknown_fields_are_refused_by_name(route: Route, api: Api) -> None:
    path, body = prepared(api, route)
    response = api.request(route.method, path, {**body, "surprise_field": 1})
    assert response.status == 422
    assert "body.surprise_field" in [d["field"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
@pytest.mark.parametrize("depth", [100, 20_000])
def test_deeply_nested_json_is_a_client_error(route: Route, api: Api, depth: int) -> None:
    path, _ = prepared(api, route)
    nested = b'{"x": ' + b"[" * depth + b"]" * depth + b"}"
    assert api.request(route.method, path, body=nested).status in (400, 422)


@pytest.mark.parametrize("route", WITH_BODY, ids=label)
@pytest.mark.parametrize("raw", [b"null", b"42", b'"text"', b"[]", b"{", b"\xff\xfe"])
def test_bodies_of_the_wrong_shape_are_client_errors(route: Route, api: Api, raw: bytes) -> None:
    path, _ = prepared(api, route)
    assert api.request(route.method, path, body=raw).status in (400, 422)


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
