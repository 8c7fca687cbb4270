"""Files' pure rules (issue 14): what may be uploaded, how large, and how a finished upload is
judged against what was declared. docs/files.md explains the decisions.
"""

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

# Where a file's content is in the bucket: its upload, then the kept file (``<prefix><account>/<id>``).
UPLOADS, FILES = "uploads/", "files/"
# 25 MiB: a photo from a phone, a scanned report, a spreadsheet of parts, with room to spare.
MAX_FILE_BYTES = 25 * 1024 * 1024
# How long an upload form and a download link work.
UPLOAD_SECONDS = 15 * 60
DOWNLOAD_SECONDS = 15 * 60
# A file that was never uploaded and completed is forgotten after this long (its item by TTL,
# its upload by the bucket's lifecycle rule).
PENDING_SECONDS = 24 * 3600

ContentType = Literal[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]
LinkKind = Literal["task", "completion", "work_order"]
FileState = Literal["pending", "available"]


@dataclass(frozen=True)
class Upload:
    """What the storage holds under a file's upload key."""

    size: int
    content_type: str
    etag: str


def upload_problem(declared_size: int, declared_type: str, upload: Upload) -> str | None:
    """Why an upload cannot become the declared file, or None when it can.

    The upload form already binds both (S3 refuses anything else); this is the same rule for a
    storage that does not enforce the form's policy (moto, locally), and a guard if one ever
    fails to.
    """
    if upload.size > MAX_FILE_BYTES:
        return f"the upload has {upload.size} bytes, more than the {MAX_FILE_BYTES} a file may have"
    if upload.size != declared_size:
        return f"the upload has {upload.size} bytes, the file was declared with {declared_size}"
    if upload.content_type.split(";")[0].strip().lower() != declared_type:
        return (
            f"the upload is {upload.content_type or 'of no type'}, the file was declared as {declared_type}"
        )
    return None


def content_disposition(filename: str) -> str:
    """``attachment`` with the file's name: an ASCII fallback (quotes and backslashes replaced)
    and the exact name in RFC 5987 form for clients that read it."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
