"""What every endpoint does the same way: tokens, errors, body handling, CORS, health and docs."""

import json
from datetime import timedelta

import jwt
import pytest

from local.auth import issue_token
from shared.data import asset_lists
from tests.conftest import SIGNING_KEY, Api


def assert_error_shape(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status == status, response.body
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def test_health_needs_no_token(api: Api) -> None:
    response = api.get("/health", auth=False)
    assert response.status == 200
    assert response.json()["status"] == "ok"


def test_docs_is_a_swagger_page_over_the_openapi_document(api: Api) -> None:
    response = api.get("/docs", auth=False)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "SwaggerUIBundle" in response.body and "openapi.json" in response.body


class TestTokens:
    def test_missing_token_is_401(self, api: Api) -> None:
        assert_error_shape(api.get("/assets", auth=False), 401)

    def test_expired_token_is_401(self, api: Api) -> None:
        expired = issue_token(api.account, key=SIGNING_KEY, ttl=timedelta(seconds=-5))
        assert_error_shape(
            api.get("/assets", auth=False, headers={"Authorization": f"Bearer {expired}"}), 401
        )

    def test_token_signed_with_another_key_is_401(self, api: Api) -> None:
        forged = issue_token(api.account, key=b"not-the-server-key-" * 2)
        assert_error_shape(api.get("/assets", auth=False, headers={"Authorization": f"Bearer {forged}"}), 401)

    def test_tampered_claims_are_401(self, api: Api) -> None:
        token = api.token()
        header, _payload, signature = token.split(".")
        claims = jwt.decode(token, options={"verify_signature": False})
        claims["custom:account_id"] = "someone-else"
        forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        tampered = f"{header}.{forged_payload}.{signature}"
        assert_error_shape(
            api.get("/assets", auth=False, headers={"Authorization": f"Bearer {tampered}"}), 401
        )

    def test_a_bare_token_is_accepted_as_cognito_does(self, api: Api) -> None:
        assert api.get("/assets", auth=False, headers={"Authorization": api.token()}).status == 200

    def test_a_valid_token_without_an_account_is_refused(self, api: Api) -> None:
        token = issue_token("", key=SIGNING_KEY)
        assert_error_shape(api.get("/assets", auth=False, headers={"Authorization": f"Bearer {token}"}), 401)


class TestBodies:
    def test_malformed_json_is_400(self, api: Api) -> None:
        error = assert_error_shape(api.post("/assets", body=b'{"name": '), 400, "bad_request")
        assert error["details"][0]["field"] == "body"

    def test_a_missing_body_is_400(self, api: Api) -> None:
        assert_error_shape(api.post("/assets", body=b""), 400)

    def test_a_non_json_content_type_is_415(self, api: Api) -> None:
        response = api.post(
            "/assets", body=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert_error_shape(response, 415)

    def test_a_body_over_one_megabyte_is_413(self, api: Api) -> None:
        huge = json.dumps({"name": "x", "brand": "y" * 1_100_000}).encode()
        assert_error_shape(api.post("/assets", body=huge), 413)

    def test_a_json_body_that_is_not_an_object_is_422(self, api: Api) -> None:
        assert_error_shape(api.post("/assets", body=b"[1, 2]"), 422)

    def test_deeply_nested_json_is_refused_not_crashing(self, api: Api) -> None:
        nested = b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        assert api.post("/assets", body=nested).status in (400, 422)

    @pytest.mark.parametrize("text", ["Zürich Ölwechsel", "트럭 7", "🚛 Fleet #1", "שלום", "a\u00a0b"])
    def test_unicode_round_trips(self, api: Api, text: str) -> None:
        asset = api.create_asset(name=text, brand=text, serial_number=text)
        read_back = api.get(f"/assets/{asset['id']}").json()
        assert (read_back["name"], read_back["brand"], read_back["serial_number"]) == (text, text, text)

    def test_nan_and_infinity_are_refused(self, api: Api) -> None:
        truck = api.create_asset()
        for value in (b"NaN", b"Infinity"):
            response = api.post(f"/assets/{truck['id']}/readings", body=b'{"odometer_km": ' + value + b"}")
            assert response.status in (400, 422)


def test_unknown_routes_are_404_like_api_gateway(api: Api) -> None:
    assert_error_shape(api.get("/nowhere"), 404)
    assert_error_shape(api.get("/assets/x/y/z"), 404)


def test_a_method_the_path_does_not_have_is_405_listing_the_ones_it_has(api: Api) -> None:
    response = api.request("PUT", "/assets/ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7", {"name": "x"})
    assert_error_shape(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "DELETE, GET, PATCH, OPTIONS"
    assert api.request("DELETE", "/health", auth=False).headers["Allow"] == "GET, OPTIONS"


def test_cors_preflight_and_headers(api: Api) -> None:
    preflight = api.request("OPTIONS", "/assets", auth=False)
    assert preflight.status == 204
    assert "If-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert api.get("/assets").headers["Access-Control-Allow-Origin"] == "*"


def test_an_unexpected_failure_is_a_500_without_internals(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(asset_lists, "list_assets", broken)
    error = assert_error_shape(api.get("/assets"), 500, "internal_error")
    assert "secret" not in error["message"]
    assert "reference" in error["message"]
