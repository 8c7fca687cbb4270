"""The served OpenAPI document describes exactly the routes the API has."""

import pytest

from shared.routes import ROUTES
from tests.conftest import Api


@pytest.fixture(scope="module")
def document(gateway) -> dict:  # type: ignore[no-untyped-def]
    response = Api(gateway, "docs-reader").get("/openapi.json", auth=False)
    assert response.status == 200
    return response.json()


def test_it_is_openapi_3_1_with_the_bearer_scheme(document: dict) -> None:
    assert document["openapi"].startswith("3.1")
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes.values())


def test_every_route_is_documented_and_nothing_else(document: dict) -> None:
    documented = {
        (method.upper(), path)
        for path, ops in document["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert documented == {(route.method, route.path) for route in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_operation_names_its_security_parameters_and_responses(document: dict, route) -> None:  # type: ignore[no-untyped-def]
    operation = document["paths"][route.path][route.method.lower()]
    assert operation["operationId"] == route.name
    assert (operation.get("security") == []) == route.public
    params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
    assert params == set(route.path_params)
    responses = {int(code) for code in operation["responses"]}
    if not route.public:
        assert {401, 500} <= responses
    if route.path_params:
        assert 404 in responses
    if route.writes and not route.public:
        assert 403 in responses


def test_every_schema_reference_resolves(document: dict) -> None:
    schemas = document["components"]["schemas"]

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for value in node for r in refs(value)]
        return []

    for ref in refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
