"""Files for tests: declare one, post its upload form to moto's S3 as a browser or curl would,
and complete it (tests that attach files need real, available ones)."""

from typing import Any

import requests

from tests.conftest import Api


def post_form(upload: dict[str, Any], content: bytes, filename: str = "upload.bin") -> requests.Response:
    """The multipart/form-data POST an upload form asks for: its fields, then the file."""
    return requests.post(
        upload["url"], data=upload["fields"], files={"file": (filename, content)}, timeout=10
    )


def declare(api: Api, content: bytes, content_type: str = "text/plain", **fields: Any) -> dict[str, Any]:
    body = {"filename": "notes.txt", "content_type": content_type, "size": len(content), **fields}
    response = api.post("/files", body)
    assert response.status == 201, response.body
    return response.json()  # type: ignore[no-any-return]


def uploaded_file(api: Api, content: bytes = b"oil and filter done", **fields: Any) -> dict[str, Any]:
    """An available file of ``api``'s account."""
    created = declare(api, content, **fields)
    sent = post_form(created["upload"], content)
    assert sent.status_code == 204, sent.text
    completed = api.post(f"/files/{created['id']}/complete")
    assert completed.status == 200, completed.body
    return completed.json()  # type: ignore[no-any-return]
