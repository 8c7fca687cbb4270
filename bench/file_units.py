"""The file routes, as the capacity benchmark measures them (route_units.py): declaring a file,
completing an upload (the upload itself goes to S3, not through the API, and is set-up), reading
a file with its download link, and listing the files declared for a work order (3 of them)."""

from typing import Any

import requests

from bench.route_units import Request
from bench.stack import InProcessClient

CONTENT = b"Brake pads replaced, photos in the workshop log."


def file_requests(api: InProcessClient) -> list[Request]:
    made: dict[str, str] = {}

    def declare(link: dict[str, str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"filename": "report.txt", "content_type": "text/plain", "size": len(CONTENT)}
        if link:
            body["link"] = link
        return dict(api.request("POST", "/files", body).json())

    def uploaded(link: dict[str, str] | None = None) -> str:
        created = declare(link)
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

    def order_files(n: int) -> None:
        if "order" not in made:
            made["order"] = str(api.request("POST", "/work-orders", {"title": "Brake job"}).json()["id"])
            for _ in range(3):
                kept = uploaded({"kind": "work_order", "id": made["order"]})
                api.request("POST", f"/files/{kept}/complete")
        api.request("GET", f"/work-orders/{made['order']}/files")

    return [
        Request("declare a file (its upload form)", ("POST", "/files"), lambda n: declare()),
        Request("complete an upload", ("POST", "/files/{file_id}/complete"), complete),
        Request("read a file with its download link", ("GET", "/files/{file_id}"), read),
        Request("a work order's files (3)", ("GET", "/work-orders/{work_order_id}/files"), order_files),
    ]
