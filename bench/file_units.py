"""The file routes, as the capacity benchmark measures them (route_units.py): declaring a file,
completing an upload (the upload itself goes to S3, not through the API, and is set-up), and
reading a file with its download link."""

from typing import Any

import requests

from bench.route_units import Request
from bench.stack import InProcessClient

CONTENT = b"Brake pads replaced, photos in the workshop log."


def file_requests(api: InProcessClient) -> list[Request]:
    made: dict[str, str] = {}

    def declare() -> dict[str, Any]:
        body = {"filename": "report.txt", "content_type": "text/plain", "size": len(CONTENT)}
        return dict(api.request("POST", "/files", body).json())

    def uploaded() -> str:
        created = declare()
        upload = created["upload"]
        sent = requests.post(
            upload["url"], data=upload["fields"], files={"file": ("r.txt", CONTENT)}, timeout=10
        )
        if sent.status_code != 204:
            raise RuntimeError(f"the upload was refused: {sent.status_code} {sent.text[:300]}")
        return str(created["id"])

    def complete(n: int) -> None:
        api.request("POST", f"/files/{uploaded()}/complete")

    def read(n: int) -> None:
        if "file" not in made:
            made["file"] = uploaded()
            api.request("POST", f"/files/{made['file']}/complete")
        api.request("GET", f"/files/{made['file']}")

    return [
        Request("declare a file (its upload form)", ("POST", "/files"), lambda n: declare()),
        Request("complete an upload", ("POST", "/files/{file_id}/complete"), complete),
        Request("read a file with its download link", ("GET", "/files/{file_id}"), read),
    ]
