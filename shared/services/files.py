"""Files (docs/files.md): declare one and get an upload form, complete it once uploaded, read it
with a download link; and the one check that attachments name the account's available files.

The content goes from the client straight to S3 with a presigned form; no function ever holds
it. Completing checks what arrived (HEAD), copies it from the upload key to the kept key (only
if it is still the object checked) and marks the file available; the upload is then deleted.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.data import files_repo, storage
from shared.data.table_definition import TTL_ATTRIBUTE
from shared.domain.files import (
    DOWNLOAD_SECONDS,
    MAX_FILE_BYTES,
    PENDING_SECONDS,
    UPLOAD_SECONDS,
    content_disposition,
    upload_problem,
)
from shared.faults import Fault, FieldIssue, Invalid, TooLarge, conflict, not_found
from shared.ids import is_valid_id, new_id, parent_of
from shared.models.files import DownloadLink, File, FileCreate, UploadForm
from shared.observability import count


def _until(now: datetime, seconds: int) -> datetime:
    return now.replace(microsecond=0) + timedelta(seconds=seconds)


def _view(account_id: str, item: dict[str, Any], now: datetime, upload: UploadForm | None = None) -> File:
    download = None
    if item["state"] == "available":
        url = storage.download_link(
            account_id, item["id"], content_disposition(item["filename"]), DOWNLOAD_SECONDS
        )
        download = DownloadLink(url=url, expires_at=_until(now, DOWNLOAD_SECONDS))
    return File.model_validate({**item, "upload": upload, "download": download})


def _link_missing(kind: str) -> Fault:
    return not_found("Work order" if kind == "work_order" else "Task", "body.link.id")


def create_file(account_id: str, body: FileCreate, now: datetime) -> File:
    """A pending file and the form to upload it with (valid 15 minutes)."""
    if body.size > MAX_FILE_BYTES:
        reason = f"a file may have at most {MAX_FILE_BYTES} bytes (25 MiB)"
        raise TooLarge("file_too_large", reason, [FieldIssue("body.size", reason)])
    file_id = new_id("fil")
    fields = body.model_dump(mode="json", exclude_none=True)
    item = files_repo.new_file_item(account_id, file_id, fields, now, _until(now, PENDING_SECONDS))
    if body.link is None:
        files_repo.put_new(item)
    else:
        # The task or work order the file is for is the account's (an id of the wrong shape
        # cannot be): checked in the transaction that writes the file and the target's mark.
        kind, target_id = body.link.kind, body.link.id
        shaped = is_valid_id(target_id, "wo") if kind == "work_order" else parent_of(target_id, "tsk", "ast")
        if not shaped or not files_repo.put_linked(account_id, item):
            raise _link_missing(kind)
    url, form = storage.upload_form(account_id, file_id, body.content_type, body.size, UPLOAD_SECONDS)
    count("FilesCreated")
    upload = UploadForm(url=url, fields=form, expires_at=_until(now, UPLOAD_SECONDS))
    return _view(account_id, item, now, upload)


def _found(account_id: str, file_id: str, now: datetime) -> dict[str, Any]:
    """The file; a pending one past its expiry is gone, whether or not TTL has deleted it yet."""
    item = files_repo.get(account_id, file_id) if is_valid_id(file_id, "fil") else None
    if item is None or (item["state"] == "pending" and item[TTL_ATTRIBUTE] <= now.timestamp()):
        raise not_found("File")
    return item


def read_file(account_id: str, file_id: str, now: datetime) -> File:
    return _view(account_id, _found(account_id, file_id, now), now)


def complete_file(account_id: str, file_id: str, now: datetime) -> File:
    """Check the upload and keep it; the file is then available. Completing an available file
    again answers the same file."""
    item = _found(account_id, file_id, now)
    if item["state"] == "pending":
        item = _keep(account_id, item, now)
    return _view(account_id, item, now)


def _keep(account_id: str, item: dict[str, Any], now: datetime) -> dict[str, Any]:
    file_id = item["id"]
    upload = storage.uploaded(account_id, file_id)
    if upload is None:
        reason = "nothing was uploaded for this file yet: POST the upload form first"
        return _completed_meanwhile(account_id, file_id, now, reason, "upload_missing")
    problem = upload_problem(int(item["size"]), item["content_type"], upload)
    if problem:
        raise conflict(f"{problem}; upload the file again with its form", None, "upload_mismatch")
    try:
        storage.keep(account_id, file_id, upload)
    except storage.UploadChanged:
        reason = "the upload was replaced while it was checked; complete again"
        return _completed_meanwhile(account_id, file_id, now, reason, "upload_changed")
    link = item.get("link") or {}
    order_id = link["id"] if link.get("kind") == "work_order" else None
    done = files_repo.mark_available(account_id, file_id, upload.size, now, order_id)
    storage.forget_upload(account_id, file_id)
    if done is None:
        # Another completion got there first, or the file went with its last link (its order
        # was deleted) while it was checked: then what was copied goes too.
        again = files_repo.get(account_id, file_id)
        if again is None or again["state"] != "available":
            storage.forget(account_id, file_id)
            raise not_found("File")
        return again
    count("FilesCompleted")
    return done


def _completed_meanwhile(
    account_id: str, file_id: str, now: datetime, reason: str, code: str
) -> dict[str, Any]:
    """A completion running at the same time may have kept the file and taken its upload away:
    then the file it made available, else the 409."""
    again = _found(account_id, file_id, now)
    if again["state"] == "available":
        return again
    raise conflict(reason, None, code)


def require_files(account_id: str, file_ids: Sequence[str] | None, field: str) -> None:
    """Every id names an available file of the account, else a 422 ``unknown_file`` naming each
    entry that does not (``body.attachment_ids.1``). One BatchGetItem, none for an empty list."""
    if not file_ids:
        return
    available = files_repo.available_ids(account_id, set(file_ids))
    missing = set(file_ids) - available
    if missing:
        raise unknown_files(field, file_ids, missing)


def unknown_files(field: str, file_ids: Sequence[str], missing: set[str]) -> Invalid:
    """The 422 ``unknown_file`` naming each entry of ``file_ids`` (the list at ``field``) that
    names one of the ``missing`` files."""
    reason = "no uploaded file with this id: POST /files, upload it, then complete it"
    issues = [
        FieldIssue(f"{field}.{index}", reason) for index, file_id in enumerate(file_ids) if file_id in missing
    ]
    return Invalid(
        "unknown_file", f"{len(issues)} attachment(s) name no available file of the account", issues
    )
