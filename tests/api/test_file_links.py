"""A file goes with its last link (docs/files.md, "How long a file lives"): attachments of tasks
and completions and the target a file was declared for count; the count is taken before the
write that names the file and given back after the write that drops it, so it is never below
what names the file; the file (item and objects) goes when nothing does. And an order's files."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from shared.data import files_repo, keys, storage, tasks_repo
from shared.data.asset_state import AssetChanged
from shared.data.dynamo import from_item
from shared.ids import new_id
from shared.models.files import OrderFileQuery
from shared.routes import find_route
from shared.services import order_files
from tests.conftest import Api, stored_items
from tests.uploads import declare, post_form, uploaded_file

TASK = {"name": "Brakes", "conditions": {"date": {"every_days": 90}}}


def links(api: Api, file_id: str) -> int | None:
    """The file's link count; None when the file is gone."""
    item = files_repo.get(api.account, file_id)
    return None if item is None else int(item["links"])


def kept_object(api: Api, file_id: str, key: Callable[[str, str], str] = storage.stored_key) -> bool:
    try:
        storage.client().head_object(Bucket=storage.bucket(), Key=key(api.account, file_id))
    except ClientError as error:
        assert error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound")
        return False
    return True


def names(api: Api, file_id: str) -> int:
    """How many tasks and history entries name the file, and marks of it (what must be counted)."""
    found = 0
    for raw in stored_items(api.account).values():
        item = from_item(raw["Attributes"])
        attached = item.get("entity") in ("task", "history") and file_id in (item.get("attachment_ids") or [])
        marked = item.get("entity") in ("file_for", "order_file") and item.get("file_id") == file_id
        found += attached or marked
    return found


def gone(api: Api, file_id: str) -> bool:
    return (
        api.get(f"/files/{file_id}").status == 404
        and links(api, file_id) is None
        and not kept_object(api, file_id)
        and not kept_object(api, file_id, storage.upload_key)
    )


def new_task(api: Api, asset_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/tasks", {**TASK, "asset_id": asset_id, **fields})
    assert response.status == 201, response.body
    return response.json()  # type: ignore[no-any-return]


def test_a_file_attached_to_two_tasks_goes_with_the_second(api: Api) -> None:
    asset = api.create_asset()
    photo = uploaded_file(api)
    assert links(api, photo["id"]) == 0
    first = new_task(api, asset["id"], attachment_ids=[photo["id"]])
    second = new_task(api, asset["id"], attachment_ids=[photo["id"], photo["id"]])  # named twice: once
    assert links(api, photo["id"]) == 2

    assert api.delete(f"/tasks/{first['id']}").status == 204
    assert links(api, photo["id"]) == 1
    assert api.get(f"/files/{photo['id']}").status == 200
    assert kept_object(api, photo["id"])

    deleted = api.post("/tasks/batch-delete", {"task_ids": [second["id"]]})
    assert deleted.json()["succeeded"] == 1
    assert gone(api, photo["id"])
    assert (
        api.post("/tasks", {**TASK, "asset_id": asset["id"], "attachment_ids": [photo["id"]]}).status == 422
    )


def test_a_completion_keeps_its_file_after_its_task_is_deleted(api: Api) -> None:
    asset = api.create_asset()
    task = new_task(api, asset["id"])
    photo = uploaded_file(api, link={"kind": "completion", "id": task["id"]})
    assert links(api, photo["id"]) == 1  # declared for the task's completion
    mark = (keys.account_pk(api.account), keys.file_for_sk(task["id"], photo["id"]))
    assert mark in stored_items(api.account)
    done = api.post(f"/tasks/{task['id']}/complete", {"attachment_ids": [photo["id"]]})
    assert done.status == 200, done.body
    assert links(api, photo["id"]) == 2

    assert api.delete(f"/tasks/{task['id']}").status == 204
    assert mark not in stored_items(api.account)
    assert links(api, photo["id"]) == 1  # the history entry still names it
    [entry] = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert entry["attachment_ids"] == [photo["id"]]
    assert api.get(f"/files/{photo['id']}").json()["state"] == "available"
    assert kept_object(api, photo["id"])


def test_reopening_a_completion_drops_its_link(api: Api) -> None:
    asset = api.create_asset()
    report = uploaded_file(api)
    task = new_task(api, asset["id"], repeat=True)
    assert api.post(f"/tasks/{task['id']}/complete", {"attachment_ids": [report["id"]]}).status == 200
    assert links(api, report["id"]) == 1
    assert api.post(f"/tasks/{task['id']}/reopen").status == 200
    assert gone(api, report["id"])

    # A completion that names no files keeps the task's: they count once more, until it goes.
    photo = uploaded_file(api)
    owner = new_task(api, asset["id"], attachment_ids=[photo["id"]])
    assert api.post(f"/tasks/{owner['id']}/complete", {}).status == 200
    assert links(api, photo["id"]) == 2
    assert api.post(f"/tasks/{owner['id']}/reopen").status == 200
    assert links(api, photo["id"]) == 1
    assert api.patch(f"/tasks/{owner['id']}", {"attachment_ids": []}).status == 200
    assert gone(api, photo["id"])


def test_a_patch_counts_what_it_adds_and_drops_what_it_removes(api: Api) -> None:
    asset = api.create_asset()
    old, new, both = uploaded_file(api), uploaded_file(api), uploaded_file(api)
    task = new_task(api, asset["id"], attachment_ids=[old["id"], both["id"]])
    assert api.patch(f"/tasks/{task['id']}", {"name": "Brakes and pads"}).status == 200
    assert (links(api, old["id"]), links(api, both["id"])) == (1, 1)
    patched = api.patch(f"/tasks/{task['id']}", {"attachment_ids": [both["id"], new["id"]]})
    assert patched.status == 200, patched.body
    assert gone(api, old["id"])
    assert (links(api, both["id"]), links(api, new["id"])) == (1, 1)
    assert names(api, both["id"]) == names(api, new["id"]) == 1


def test_an_orders_files_are_listed_and_go_with_the_open_order(api: Api) -> None:
    asset = api.create_asset()
    order = api.post("/work-orders", {"title": "Inspection"}).json()
    path = f"/work-orders/{order['id']}"
    link = {"kind": "work_order", "id": order["id"]}
    photo = uploaded_file(api, b"photo of the pump", link=link)
    pending = declare(api, b"abc", link=link)
    assert post_form(pending["upload"], b"abc").status_code == 204  # uploaded, never completed
    shared = uploaded_file(api, b"parts list", link=link)
    task = new_task(api, asset["id"], attachment_ids=[shared["id"]])
    other = api.post("/work-orders", {"title": "Other"}).json()
    uploaded_file(api, link={"kind": "work_order", "id": other["id"]})
    assert [links(api, f["id"]) for f in (photo, pending, shared)] == [1, 1, 2]

    listed = api.get(f"{path}/files")
    assert listed.status == 200, listed.body
    items = listed.json()["items"]
    assert [item["id"] for item in items] == [photo["id"], pending["id"], shared["id"]]
    assert items[0] == {
        "id": photo["id"],
        "filename": "notes.txt",
        "content_type": "text/plain",
        "size": len(b"photo of the pump"),
        "state": "available",
        "created_at": photo["created_at"],
    }
    assert items[1]["state"] == "pending"
    first = api.get(f"{path}/files?limit=2").json()
    rest = api.get(f"{path}/files?limit=2&next={first['next']}").json()
    assert [i["id"] for i in first["items"] + rest["items"]] == [i["id"] for i in items]
    assert rest.get("next") is None
    # The mark of a completed file no longer expires; a pending one's does, with its file.
    stored = stored_items(api.account)
    assert (
        "expires_at"
        not in stored[(keys.order_pk(api.account, order["id"]), keys.file_sk(photo["id"]))]["Attributes"]
    )
    assert (
        "expires_at"
        in stored[(keys.order_pk(api.account, order["id"]), keys.file_sk(pending["id"]))]["Attributes"]
    )
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    shown = order_files.list_order_files(api.account, order["id"], OrderFileQuery(), later)
    assert [item.id for item in shown.items] == [photo["id"], shared["id"]]

    assert api.delete(path).status == 204
    assert gone(api, photo["id"])
    assert gone(api, pending["id"])
    assert links(api, shared["id"]) == 1 and kept_object(api, shared["id"])  # the task names it
    assert api.get(f"{path}/files").status == 404
    assert len(api.get(f"/work-orders/{other['id']}/files").json()["items"]) == 1
    assert api.delete(f"/tasks/{task['id']}").status == 204
    assert gone(api, shared["id"])


def test_a_closed_orders_files_stay(api: Api) -> None:
    order = api.post("/work-orders", {"title": "Repair"}).json()
    path = f"/work-orders/{order['id']}"
    before = uploaded_file(api, link={"kind": "work_order", "id": order["id"]})
    assert api.post(f"{path}/close", {"outcome": "complete"}).status == 200
    after = uploaded_file(api, link={"kind": "work_order", "id": order["id"]})  # a closed order takes files
    refused = api.delete(path)
    assert refused.status == 409 and refused.json()["error"]["code"] == "order_closed"
    listed = api.get(f"{path}/files").json()["items"]
    assert [item["id"] for item in listed] == [before["id"], after["id"]]
    assert links(api, before["id"]) == 1 and kept_object(api, before["id"])


def test_a_file_completed_while_its_order_is_deleted_goes_with_it(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = api.post("/work-orders", {"title": "Job"}).json()
    created = declare(api, b"abc", link={"kind": "work_order", "id": order["id"]})
    assert post_form(created["upload"], b"abc").status_code == 204
    real_keep = storage.keep

    def keep_then_delete_the_order(account_id: str, file_id: str, upload: Any) -> None:
        real_keep(account_id, file_id, upload)  # the copy is made ...
        assert api.delete(f"/work-orders/{order['id']}").status == 204  # ... as the file goes

    monkeypatch.setattr(storage, "keep", keep_then_delete_the_order)
    response = api.post(f"/files/{created['id']}/complete")
    assert response.status == 404, response.body
    assert gone(api, created["id"])  # the copy too
    assert (keys.order_pk(api.account, order["id"]), keys.file_sk(created["id"])) not in stored_items(
        api.account
    )


def test_an_orders_file_list_is_the_accounts_own(api: Api, other_api: Api) -> None:
    order = api.post("/work-orders", {"title": "Mine"}).json()
    uploaded_file(api, link={"kind": "work_order", "id": order["id"]})
    for path in (
        f"/work-orders/{order['id']}/files",
        f"/work-orders/{new_id('wo')}/files",
        "/work-orders/x/files",
    ):
        assert other_api.get(path).status == 404
    assert api.get(f"/work-orders/{new_id('wo')}/files").status == 404
    assert api.get(f"/work-orders/{order['id']}/files?next=bm9uc2Vuc2U").status == 422


def test_closing_an_order_counts_its_completions_files_and_reopening_gives_them_back(api: Api) -> None:
    asset = api.create_asset()
    photo = uploaded_file(api)
    task = new_task(api, asset["id"], attachment_ids=[photo["id"]])
    order = api.post("/work-orders", {"title": "Service", "task_ids": [task["id"]]}).json()
    path = f"/work-orders/{order['id']}"
    assert api.post(f"{path}/close", {"outcome": "complete"}).status == 200
    assert links(api, photo["id"]) == 2 == names(api, photo["id"])
    assert api.post(f"{path}/reopen", {}).status == 200
    assert links(api, photo["id"]) == 1 == names(api, photo["id"])


def test_a_refused_task_write_changes_no_count(api: Api) -> None:
    asset = api.create_asset()
    loose, attached = uploaded_file(api), uploaded_file(api)
    task = new_task(api, asset["id"], attachment_ids=[attached["id"]])
    body = {**TASK, "attachment_ids": [loose["id"], attached["id"]]}
    before = stored_items(api.account)
    assert api.post("/tasks", {**body, "asset_id": new_id("ast")}).status == 404
    assert (
        api.patch(
            f"/tasks/{task['id']}", {"attachment_ids": [loose["id"]]}, headers={"If-Match": '"9"'}
        ).status
        == 412
    )
    complete = api.post(
        f"/tasks/{task['id']}/complete", {"attachment_ids": [loose["id"]], "at": "2000-01-01T00:00:00Z"}
    )
    assert complete.status == 422, complete.body
    assert stored_items(api.account) == before  # the counts included: a file nothing named stays
    batch = api.post("/tasks/batch", {"asset_ids": [asset["id"], new_id("ast")], "task": body})
    assert [result["status"] for result in batch.json()["results"]] == [201, 404]
    assert (links(api, loose["id"]), links(api, attached["id"])) == (1, 2)


def test_a_round_run_again_takes_its_links_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write whose transaction is refused (the asset moved) reads and commits again; the links
    it took in its first round are not taken again."""
    asset = api.create_asset()
    photo, other = uploaded_file(api), uploaded_file(api)
    real = tasks_repo.commit
    refusals = {"left": 0}

    def refused_once(actions: list[Any]) -> None:
        if refusals["left"]:
            refusals["left"] -= 1
            raise AssetChanged
        real(actions)

    monkeypatch.setattr(tasks_repo, "commit", refused_once)
    calls: list[tuple[str, str, int]] = []
    for name in ("add_links", "drop_links"):
        real_call = getattr(files_repo, name)

        def counted(
            account_id: str, file_id: str, n: int, name: str = name, real_call: Any = real_call
        ) -> Any:
            calls.append((name, file_id, n))
            return real_call(account_id, file_id, n)

        monkeypatch.setattr(files_repo, name, counted)
    refusals["left"] = 1
    task = new_task(api, asset["id"], attachment_ids=[photo["id"]])
    assert links(api, photo["id"]) == 1
    refusals["left"] = 2
    calls.clear()
    assert api.patch(f"/tasks/{task['id']}", {"attachment_ids": [photo["id"], other["id"]]}).status == 200
    assert (links(api, photo["id"]), links(api, other["id"])) == (1, 1)
    assert calls == [("add_links", other["id"], 1)]  # once, not once per round
    refusals["left"] = 1
    calls.clear()
    assert api.post(f"/tasks/{task['id']}/complete", {}).status == 200
    assert (links(api, photo["id"]), links(api, other["id"])) == (2, 2)
    assert sorted(calls) == sorted([("add_links", photo["id"], 1), ("add_links", other["id"], 1)])
    refusals["left"] = 1
    batch = api.post(
        "/tasks/batch", {"asset_ids": [asset["id"]], "task": {**TASK, "attachment_ids": [other["id"]]}}
    )
    assert batch.json()["succeeded"] == 1
    assert links(api, other["id"]) == 3 == names(api, other["id"])


def test_an_attach_racing_the_last_detach_never_names_a_deleted_file(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = api.create_asset()
    real_check = files_repo.available_ids

    # The detach lands between the attach's check and its link: the attach is refused.
    photo = uploaded_file(api)
    holder = new_task(api, asset["id"], attachment_ids=[photo["id"]])

    def detach_after_check(account_id: str, file_ids: set[str]) -> set[str]:
        found = real_check(account_id, file_ids)
        monkeypatch.setattr(files_repo, "available_ids", real_check)
        assert api.delete(f"/tasks/{holder['id']}").status == 204
        return found

    monkeypatch.setattr(files_repo, "available_ids", detach_after_check)
    refused = api.post("/tasks", {**TASK, "asset_id": asset["id"], "attachment_ids": [photo["id"]]})
    assert refused.status == 422 and refused.json()["error"]["code"] == "unknown_file", refused.body
    assert gone(api, photo["id"]) and names(api, photo["id"]) == 0

    # The detach lands after the attach's link: the file stays, named by the new task.
    photo = uploaded_file(api)
    holder = new_task(api, asset["id"], attachment_ids=[photo["id"]])
    real_add = files_repo.add_links

    def detach_after_link(account_id: str, file_id: str, count: int) -> bool:
        took = real_add(account_id, file_id, count)
        monkeypatch.setattr(files_repo, "add_links", real_add)
        assert api.delete(f"/tasks/{holder['id']}").status == 204
        return took

    monkeypatch.setattr(files_repo, "add_links", detach_after_link)
    assert new_task(api, asset["id"], attachment_ids=[photo["id"]])["attachment_ids"] == [photo["id"]]
    assert links(api, photo["id"]) == 1 == names(api, photo["id"])
    assert kept_object(api, photo["id"])


def test_attaches_and_detaches_racing_keep_every_named_file(api: Api) -> None:
    """Real threads: whatever the order, a file any task names exists, with at least that many links."""
    assets = [api.create_asset(name=f"Truck {n}") for n in range(4)]
    for _ in range(3):
        photo = uploaded_file(api)
        holders = [new_task(api, asset["id"], attachment_ids=[photo["id"]]) for asset in assets[:2]]
        start = threading.Barrier(4, timeout=30)

        def detach(task: dict[str, Any], start: threading.Barrier = start) -> int:
            start.wait()
            return api.delete(f"/tasks/{task['id']}").status

        def attach(
            asset: dict[str, Any], start: threading.Barrier = start, file_id: str = photo["id"]
        ) -> int:
            start.wait()
            body = {**TASK, "asset_id": asset["id"], "attachment_ids": [file_id]}
            return api.post("/tasks", body).status

        with ThreadPoolExecutor(4) as pool:
            detached = [pool.submit(detach, task) for task in holders]
            attached = [pool.submit(attach, asset) for asset in assets[2:]]
            assert [f.result() for f in detached] == [204, 204]
            statuses = [f.result() for f in attached]
        assert set(statuses) <= {201, 422}
        named = names(api, photo["id"])
        assert named == statuses.count(201)
        if named:
            assert (links(api, photo["id"]) or 0) >= named and kept_object(api, photo["id"])
        else:
            assert links(api, photo["id"]) in (None, 0)


S3_NEEDS = {"HeadObject": "GetObject", "GetObject": "GetObject", "DeleteObject": "DeleteObject"}


def test_the_writes_that_delete_files_may_delete_them(api: Api) -> None:
    """Each S3 call of the routes that drop links is one its route's ``storage`` grants (as
    tests/api/test_files.py checks for the file routes)."""
    used: list[tuple[Any, str, str]] = []
    current: list[Any] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if current and model.name in S3_NEEDS:
            used.append((current[0], S3_NEEDS[model.name], params["Key"]))

    def call(method: str, path: str, body: Any = None) -> Any:
        found = find_route(method, path)
        assert found is not None
        current[:] = [found[0]]
        try:
            return api.request(method, path, body)
        finally:
            current.clear()

    s3 = storage.client()
    s3.meta.events.register("provide-client-params.s3", record)
    try:
        asset = api.create_asset()
        files = [uploaded_file(api)["id"] for _ in range(5)]
        task = new_task(api, asset["id"], attachment_ids=[files[0]], repeat=True)
        call("PATCH", f"/tasks/{task['id']}", {"attachment_ids": [files[1]]})
        call("POST", f"/tasks/{task['id']}/complete", {"attachment_ids": [files[2]]})
        call("POST", f"/tasks/{task['id']}/reopen")
        other = new_task(api, asset["id"], attachment_ids=[files[3]])
        call("POST", "/tasks/batch-delete", {"task_ids": [other["id"]]})
        call("DELETE", f"/tasks/{task['id']}")
        order = api.post("/work-orders", {"title": "Job"}).json()
        uploaded_file(api, link={"kind": "work_order", "id": order["id"]})
        call("DELETE", f"/work-orders/{order['id']}")
        task = new_task(api, asset["id"], attachment_ids=[files[4]])
        order = api.post("/work-orders", {"title": "Job", "task_ids": [task["id"]]}).json()
        api.post(f"/work-orders/{order['id']}/close", {"outcome": "complete"})
        api.patch(f"/tasks/{task['id']}", {"attachment_ids": []})
        call("POST", f"/work-orders/{order['id']}/reopen", {})
    finally:
        s3.meta.events.unregister("provide-client-params.s3", record)
    assert {route.name for route, _, _ in used} == {
        "update_task",
        "reopen_task",
        "delete_tasks_batch",
        "delete_task",
        "delete_order",
        "reopen_order",
    }
    for route, action, key in used:
        assert any(action == a and key.startswith(prefix) and prefix for a, prefix in route.storage), (
            route.name,
            action,
            key,
        )
