"""Files through the API: declare, upload with the presigned form to (moto's) S3, complete, read
and download; the limits; links; and attachments that must name available files."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from shared.data import files_repo, keys, storage
from shared.data.dynamo import TABLE_NAME, to_item
from shared.data.dynamo import client as table_client
from shared.domain.files import MAX_FILE_BYTES
from shared.faults import NotFound
from shared.ids import new_id
from shared.routes import find_route
from shared.services import files
from tests.conftest import Api, stored_items
from tests.uploads import declare, post_form, uploaded_file

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes all the same \xff\xd9"


def asset_with_task(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    asset = api.create_asset(name="Truck", type="vehicle", meters=["odometer"])
    task = api.post(
        "/tasks", {"asset_id": asset["id"], "name": "Oil", "conditions": {"date": {"every_days": 30}}}
    )
    assert task.status == 201, task.body
    return asset, task.json()


def refusal(response: Any) -> tuple[int, str, list[str]]:
    error = response.json()["error"]
    return response.status, error["code"], [detail["field"] for detail in error["details"]]


def test_a_file_goes_up_by_its_form_and_comes_down_by_its_link(api: Api) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    response = api.post(
        "/files", {"filename": "Prüfbericht 3.jpg", "content_type": "image/jpeg", "size": len(PHOTO)}
    )
    assert response.status == 201, response.body
    created = response.json()
    assert response.headers["Location"] == f"/files/{created['id']}"
    assert created["id"].startswith("fil_")
    assert (created["state"], created["size"], created["link"], created["download"]) == (
        "pending",
        len(PHOTO),
        None,
        None,
    )
    upload = created["upload"]
    assert upload["method"] == "POST"
    assert upload["fields"]["key"] == f"uploads/{api.account}/{created['id']}"
    assert upload["fields"]["Content-Type"] == "image/jpeg"
    expires = datetime.fromisoformat(upload["expires_at"])
    assert before + timedelta(minutes=15) <= expires <= before + timedelta(minutes=15, seconds=2)
    # The policy binds the key, the type and exactly the declared size.
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    assert ["content-length-range", len(PHOTO), len(PHOTO)] in policy["conditions"]
    assert {"key": upload["fields"]["key"]} in policy["conditions"]
    assert api.get(f"/files/{created['id']}").json()["state"] == "pending"

    sent = post_form(upload, PHOTO, "photo.jpg")
    assert sent.status_code == 204, sent.text

    completed = api.post(f"/files/{created['id']}/complete")
    assert completed.status == 200, completed.body
    done = completed.json()
    assert (done["state"], done["size"], done["upload"]) == ("available", len(PHOTO), None)
    assert done["available_at"] is not None

    read = api.get(f"/files/{created['id']}").json()
    assert {k: v for k, v in read.items() if k != "download"} == {
        k: v for k, v in done.items() if k != "download"
    }
    download = requests.get(read["download"]["url"], timeout=10)
    assert download.status_code == 200
    assert download.content == PHOTO
    assert download.headers["Content-Type"] == "image/jpeg"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Pr_fbericht 3.jpg"')
    assert "filename*=UTF-8''Pr%C3%BCfbericht%203.jpg" in disposition
    # Completing again is harmless: the same file.
    again = api.post(f"/files/{created['id']}/complete")
    assert again.status == 200
    assert {k: v for k, v in again.json().items() if k != "download"} == {
        k: v for k, v in done.items() if k != "download"
    }
    # The checked content is kept under files/, the upload is gone.
    s3 = storage.client()
    assert (
        s3.get_object(Bucket=storage.bucket(), Key=f"files/{api.account}/{created['id']}")["Body"].read()
        == PHOTO
    )
    assert storage.uploaded(api.account, created["id"]) is None


def test_a_pending_file_expires_and_an_available_one_does_not(api: Api) -> None:
    created = declare(api, b"abc")
    item = stored_items(api.account)[(keys.account_pk(api.account), keys.file_sk(created["id"]))][
        "Attributes"
    ]
    expires = int(item["expires_at"]["N"])
    assert 23 * 3600 < expires - datetime.now(UTC).timestamp() <= 24 * 3600
    post_form(created["upload"], b"abc")
    api.post(f"/files/{created['id']}/complete")
    item = stored_items(api.account)[(keys.account_pk(api.account), keys.file_sk(created["id"]))][
        "Attributes"
    ]
    assert "expires_at" not in item
    assert item["state"] == {"S": "available"}


def test_a_file_larger_than_25_mib_is_413(api: Api) -> None:
    before = stored_items(api.account)
    response = api.post(
        "/files", {"filename": "big.pdf", "content_type": "application/pdf", "size": MAX_FILE_BYTES + 1}
    )
    assert refusal(response) == (413, "file_too_large", ["body.size"])
    assert (
        api.post("/files", {"filename": "huge.pdf", "content_type": "application/pdf", "size": 10**30}).status
        == 413
    )
    assert stored_items(api.account) == before
    largest = api.post(
        "/files", {"filename": "big.pdf", "content_type": "application/pdf", "size": MAX_FILE_BYTES}
    )
    assert largest.status == 201
    assert MAX_FILE_BYTES == 26_214_400


@pytest.mark.parametrize("size", [0, -1, 1.5, "10", None])
def test_a_size_that_is_no_size_is_422(api: Api, size: Any) -> None:
    response = api.post("/files", {"filename": "a.txt", "content_type": "text/plain", "size": size})
    assert refusal(response)[::2] == (422, ["body.size"])


@pytest.mark.parametrize(
    "content_type",
    [
        "application/zip",
        "image/svg+xml",
        "text/html",
        "application/octet-stream",
        "IMAGE/JPEG",
        "",
        "image/*",
    ],
)
def test_a_type_outside_the_list_is_422(api: Api, content_type: str) -> None:
    response = api.post("/files", {"filename": "a.bin", "content_type": content_type, "size": 10})
    assert refusal(response) == (422, "validation_error", ["body.content_type"])


@pytest.mark.parametrize(
    "content_type",
    [
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
)
def test_the_listed_types_are_taken(api: Api, content_type: str) -> None:
    assert api.post("/files", {"filename": "f", "content_type": content_type, "size": 10}).status == 201


@pytest.mark.parametrize(
    "filename",
    [
        "",
        " ",
        "\t",
        "a/b.txt",
        "/etc/passwd",
        "..\\boot.ini",
        "a\u0000b",
        "line\nbreak",
        "bell\u0007",
        "del\u007f",
        "c1\u0085",
        "x" * 256,
    ],
)
def test_a_name_with_a_path_or_control_characters_is_422(api: Api, filename: str) -> None:
    response = api.post("/files", {"filename": filename, "content_type": "text/plain", "size": 10})
    status, _, fields = refusal(response)
    assert (status, fields) == (422, ["body.filename"])
    assert "Input should" not in response.body


@pytest.mark.parametrize(
    "filename", ["x" * 255, "Bericht (final) v2.pdf", ".hidden", "..", "🚜 photo.heic", "a b"]
)
def test_names_without_paths_are_kept_as_sent(api: Api, filename: str) -> None:
    created = declare(api, b"12345", filename=filename)
    assert api.get(f"/files/{created['id']}").json()["filename"] == filename


def test_another_accounts_file_is_404(api: Api, other_api: Api) -> None:
    mine = uploaded_file(api)
    pending = declare(api, b"abc")
    for file_id in (mine["id"], pending["id"]):
        for response in (other_api.get(f"/files/{file_id}"), other_api.post(f"/files/{file_id}/complete")):
            assert refusal(response)[:2] == (404, "not_found")
    assert api.get(f"/files/{pending['id']}").json()["state"] == "pending"
    for unknown in (new_id("fil"), "fil_1", "nonsense"):
        assert api.get(f"/files/{unknown}").status == 404
        assert api.post(f"/files/{unknown}/complete").status == 404


def test_completing_before_the_upload_is_409_and_changes_nothing(api: Api) -> None:
    created = declare(api, b"abc")
    before = stored_items(api.account)
    response = api.post(f"/files/{created['id']}/complete")
    assert refusal(response)[:2] == (409, "upload_missing")
    assert stored_items(api.account) == before
    assert post_form(created["upload"], b"abc").status_code == 204
    assert api.post(f"/files/{created['id']}/complete").json()["state"] == "available"


@pytest.mark.parametrize(
    ("sent", "content_type"), [(b"abcd", "text/plain"), (b"ab", "text/plain"), (b"abc", "text/csv")]
)
def test_an_upload_unlike_its_declaration_is_refused_on_completion(
    api: Api, sent: bytes, content_type: str
) -> None:
    """S3 enforces the form's policy; moto does not, so the completion checks size and type."""
    created = declare(api, b"abc")
    upload = {**created["upload"], "fields": {**created["upload"]["fields"], "Content-Type": content_type}}
    assert post_form(upload, sent).status_code == 204
    response = api.post(f"/files/{created['id']}/complete")
    assert refusal(response)[:2] == (409, "upload_mismatch")
    assert api.get(f"/files/{created['id']}").json()["state"] == "pending"
    # The same form, with what was declared, then goes through.
    assert post_form(created["upload"], b"abc").status_code == 204
    assert api.post(f"/files/{created['id']}/complete").json()["state"] == "available"


def test_a_file_is_for_a_task_its_next_completion_or_a_work_order_of_the_account(
    api: Api, other_api: Api
) -> None:
    _, task = asset_with_task(api)
    for kind in ("task", "completion"):
        created = declare(api, b"abc", link={"kind": kind, "id": task["id"]})
        assert created["link"] == {"kind": kind, "id": task["id"]}
        assert api.get(f"/files/{created['id']}").json()["link"] == {"kind": kind, "id": task["id"]}
    order_id = new_id("wo")
    order = {"PK": keys.order_pk(api.account, order_id), "SK": keys.ORDER_SK, "entity": "work_order"}
    table_client.put_item(TableName=TABLE_NAME, Item=to_item(order))
    assert declare(api, b"abc", link={"kind": "work_order", "id": order_id})["link"]["id"] == order_id

    _, foreign = asset_with_task(other_api)
    before = stored_items(api.account)
    for link in (
        {"kind": "task", "id": foreign["id"]},
        {"kind": "completion", "id": foreign["id"]},
        {"kind": "task", "id": order_id},
        {"kind": "work_order", "id": task["id"]},
        {"kind": "work_order", "id": new_id("wo")},
        {"kind": "task", "id": "tsk_nothing"},
    ):
        body = {"filename": "a.txt", "content_type": "text/plain", "size": 3, "link": link}
        assert refusal(api.post("/files", body)) == (404, "not_found", ["body.link.id"]), link
    assert (
        other_api.post(
            "/files",
            {
                "filename": "a",
                "content_type": "text/plain",
                "size": 3,
                "link": {"kind": "work_order", "id": order_id},
            },
        ).status
        == 404
    )
    assert stored_items(api.account) == before
    bad_kind = {
        "filename": "a",
        "content_type": "text/plain",
        "size": 3,
        "link": {"kind": "asset", "id": "x"},
    }
    assert refusal(api.post("/files", bad_kind))[::2] == (422, ["body.link.kind"])


def test_attachments_must_name_available_files_of_the_account(api: Api, other_api: Api) -> None:
    asset, task = asset_with_task(api)
    ready = uploaded_file(api)
    pending = declare(api, b"abc")
    foreign = uploaded_file(other_api)
    ids = [ready["id"], pending["id"], new_id("fil"), foreign["id"]]
    task_fields = {"name": "Tyres", "conditions": {"date": {"every_days": 90}}}
    body = {**task_fields, "asset_id": asset["id"]}
    before = stored_items(api.account)

    refused = [
        api.post("/tasks", {**body, "attachment_ids": ids}),
        api.post(
            "/tasks/batch",
            {"asset_ids": [asset["id"]], "task": {**task_fields, "attachment_ids": ids}},
        ),
        api.patch(f"/tasks/{task['id']}", {"attachment_ids": ids}),
        api.post(f"/tasks/{task['id']}/complete", {"attachment_ids": ids}),
    ]
    prefixes = ["body", "body.task", "body", "body"]
    for response, prefix in zip(refused, prefixes, strict=True):
        status, code, fields = refusal(response)
        assert (status, code) == (422, "unknown_file"), response.body
        assert fields == [f"{prefix}.attachment_ids.{index}" for index in (1, 2, 3)]
    assert stored_items(api.account) == before
    shape = api.post("/tasks", {**body, "attachment_ids": ["file-1"]})
    assert refusal(shape) == (422, "validation_error", ["body.attachment_ids.0"])

    other = uploaded_file(api, b"second photo")
    created = api.post("/tasks", {**body, "attachment_ids": [ready["id"], other["id"]]})
    assert created.status == 201, created.body
    assert created.json()["attachment_ids"] == [ready["id"], other["id"]]
    batch = api.post(
        "/tasks/batch", {"asset_ids": [asset["id"]], "task": {**task_fields, "attachment_ids": [other["id"]]}}
    )
    assert batch.json()["results"][0]["task"]["attachment_ids"] == [other["id"]]
    patched = api.patch(f"/tasks/{task['id']}", {"attachment_ids": [other["id"]]})
    assert patched.json()["attachment_ids"] == [other["id"]]
    assert api.patch(f"/tasks/{task['id']}", {"attachment_ids": []}).json()["attachment_ids"] == []
    done = api.post(f"/tasks/{task['id']}/complete", {"attachment_ids": [ready["id"], ready["id"]]})
    assert done.status == 200, done.body
    [entry] = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert entry["attachment_ids"] == [ready["id"], ready["id"]]


S3_ACTIONS = {"HeadObject": "GetObject", "GetObject": "GetObject", "DeleteObject": "DeleteObject"}


def test_file_functions_use_only_the_storage_their_route_declares(api: Api) -> None:
    """As tests/api/test_table_permissions.py for the table: each S3 call, as the IAM action it
    needs on its key, is one the route grants (infra/files.py makes the grants from the table)."""
    used: dict[tuple[str, str], set[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if not current:
            return
        needs = used.setdefault(current[0], set())
        if model.name == "CopyObject":
            needs.add(("GetObject", params["CopySource"]["Key"]))
            needs.add(("PutObject", params["Key"]))
        else:
            needs.add((S3_ACTIONS[model.name], params["Key"]))

    def call(method: str, path: str) -> Any:
        found = find_route(method, path)
        assert found is not None
        current[:] = [(method, found[0].path)]
        try:
            return api.request(method, path)
        finally:
            current.clear()

    s3 = storage.client()
    s3.meta.events.register("provide-client-params.s3", record)
    try:
        created = declare(api, b"abc")
        call("POST", f"/files/{created['id']}/complete")  # nothing uploaded: a HEAD
        post_form(created["upload"], b"abc")
        call("POST", f"/files/{created['id']}/complete")
        call("GET", f"/files/{created['id']}")
    finally:
        s3.meta.events.unregister("provide-client-params.s3", record)
    routes = {
        (r.method, r.path): r
        for r in (find_route("POST", "/files/x/complete")[0], find_route("GET", "/files/x")[0])
    }  # type: ignore[index]
    for route_key, needs in used.items():
        granted = routes[route_key].storage
        for action, key in needs:
            assert any(action == a and key.startswith(prefix) and prefix for a, prefix in granted), (
                route_key,
                action,
                key,
            )
    # Presigned requests are authorized by their signer's rights: the form's key and the link's.
    create = find_route("POST", "/files")[0]  # type: ignore[index]
    assert ("PutObject", "uploads/") in create.storage and created["upload"]["fields"]["key"].startswith(
        "uploads/"
    )
    download = api.get(f"/files/{created['id']}").json()["download"]["url"]
    assert f"/files/{api.account}/" in download
    assert ("GetObject", "files/") in find_route("GET", "/files/x")[0].storage  # type: ignore[index]


def test_a_pending_file_past_its_day_is_gone_before_ttl_deletes_it(api: Api) -> None:
    created = declare(api, b"abc")
    post_form(created["upload"], b"abc")
    later = datetime.now(UTC) + timedelta(days=1, seconds=5)
    with pytest.raises(NotFound):
        files.read_file(api.account, created["id"], later)
    with pytest.raises(NotFound):
        files.complete_file(api.account, created["id"], later)
    assert api.get(f"/files/{created['id']}").json()["state"] == "pending"


def test_a_completion_racing_another_answers_the_file_the_other_kept(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = declare(api, b"abc")
    post_form(created["upload"], b"abc")
    stale = files_repo.get(api.account, created["id"])  # what the slower completion read first
    assert api.post(f"/files/{created['id']}/complete").status == 200
    reads = iter([stale])
    real_get = files_repo.get
    monkeypatch.setattr(files_repo, "get", lambda *args: next(reads, None) or real_get(*args))
    again = api.post(f"/files/{created['id']}/complete")
    assert again.status == 200, again.body
    assert again.json()["state"] == "available"


def test_an_upload_replaced_after_its_check_is_not_kept(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy is conditioned on the ETag the check saw (CopySourceIfMatch); S3 answers a
    replaced upload with PreconditionFailed. moto does not evaluate that condition, so S3's
    answer is played here."""
    created = declare(api, b"abc")
    post_form(created["upload"], b"abc")
    real = storage.client()
    copies: list[dict[str, Any]] = []

    class ReplacedMeanwhile:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def copy_object(self, **params: Any) -> Any:
            copies.append(params)
            raise ClientError({"Error": {"Code": "PreconditionFailed"}}, "CopyObject")

    monkeypatch.setattr(storage, "client", ReplacedMeanwhile)
    response = api.post(f"/files/{created['id']}/complete")
    assert refusal(response)[:2] == (409, "upload_changed")
    assert (
        copies[0]["CopySourceIfMatch"]
        == real.head_object(Bucket=storage.bucket(), Key=f"uploads/{api.account}/{created['id']}")["ETag"]
    )
    assert api.get(f"/files/{created['id']}").json()["state"] == "pending"
    monkeypatch.undo()
    assert api.post(f"/files/{created['id']}/complete").json()["state"] == "available"
