"""The local gateway as a WSGI application, for tools that speak WSGI (the API fuzzer, servers)."""

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from local.gateway import LocalGateway


def wsgi_app(gateway: LocalGateway) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        headers = {
            name[5:].replace("_", "-").title(): value
            for name, value in environ.items()
            if name.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        # WSGI hands over the path decoded (as latin-1); quote it again so that an encoded "?"
        # or "#" stays part of the path, as it does on the wire.
        target = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
        response = gateway.handle(environ["REQUEST_METHOD"], target, headers, body)
        payload = response.payload
        status = f"{response.status} {HTTPStatus(response.status).phrase}"
        start_response(status, [*response.headers.items(), ("Content-Length", str(len(payload)))])
        return [payload]

    return app
