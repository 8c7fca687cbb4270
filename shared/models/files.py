"""Files as the API takes and shows them: declare a file, upload it with the form, complete it,
read it with a download link (docs/files.md)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.domain.files import (
    DOWNLOAD_SECONDS,
    MAX_FILE_BYTES,
    UPLOAD_SECONDS,
    ContentType,
    FileState,
    LinkKind,
)
from shared.models.common import (
    Cursor,
    InputModel,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
    WholeNumber,
    described_pattern,
)
from shared.models.conditions import FileId

# Not a path (no / or \) and no control characters (C0, DEL, C1), with something besides white
# space. Written with \x escapes, which both pydantic's and ECMA's regular expressions read.
_NAME_CHAR = r"[^/\\\x00-\x1f\x7f-\x9f]"
_VISIBLE_CHAR = r"[^/\\\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
FILENAME_PATTERN = described_pattern(
    f"^{_NAME_CHAR}*{_VISIBLE_CHAR}{_NAME_CHAR}*$",
    "a file name without / or \\ or control characters, with something besides white space",
)
Filename = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=FILENAME_PATTERN)]


class FileLink(InputModel):
    """What the file is for. ``task``: the task (its id); ``completion``: the next completion of
    the task (the task's id), as a photo of the work is taken before the task is marked done;
    ``work_order``: the order (its id). The target must be the account's (else 404 on
    ``body.link.id``). A link records the file's purpose; a file is attached by naming it in
    ``attachment_ids``."""

    kind: LinkKind
    id: str = Field(min_length=1, max_length=64, description="A task id (tsk_...) or work order id (wo_...)")


class FileCreate(InputModel):
    filename: Filename = Field(description="The name it is downloaded under, 1 to 255 characters")
    content_type: ContentType = Field(description="The media type; the upload must be sent with exactly it")
    size: Annotated[int, WholeNumber] = Field(
        ge=1,
        description=f"Bytes, 1 to {MAX_FILE_BYTES} (25 MiB); the upload must have exactly this many. "
        "Larger: 413 file_too_large",
    )
    link: FileLink | None = None


class UploadForm(OutputModel):
    """An S3 presigned POST: send ``fields`` and then the file as ``file`` in a
    multipart/form-data POST to ``url`` (e.g. ``curl -F key=... -F ... -F file=@photo.jpg URL``)."""

    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, str]
    expires_at: datetime = Field(description=f"The form works for {UPLOAD_SECONDS // 60} minutes")


class DownloadLink(OutputModel):
    url: str = Field(description="A presigned GET of the file, saved under its filename")
    expires_at: datetime = Field(description=f"The link works for {DOWNLOAD_SECONDS // 60} minutes")


class LinkOut(OutputModel):
    kind: LinkKind
    id: str


class File(OutputModel):
    id: FileId
    filename: str
    content_type: ContentType
    size: int = Field(description="Bytes: as declared, and once available as uploaded (the same)")
    state: FileState = Field(
        description="pending: declared, not yet uploaded and completed (forgotten after a day); "
        "available: uploaded, checked and kept"
    )
    link: LinkOut | None = None
    created_at: StoredTime
    available_at: StoredTime | None = None
    upload: UploadForm | None = Field(None, description="Only in the answer to POST /files")
    download: DownloadLink | None = Field(None, description="When the file is available")


class OrderFile(OutputModel):
    """A file declared for a work order (``link`` work_order), as the order's file list shows it.
    A pending one past its day is not listed (it is gone)."""

    id: FileId
    filename: str
    content_type: ContentType
    size: int = Field(description="Bytes: as declared, and once available as uploaded (the same)")
    state: FileState = Field(description="pending: declared, not yet uploaded and completed; available")
    created_at: StoredTime


class OrderFilePage(Page[OrderFile]):
    pass


class OrderFileQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None
