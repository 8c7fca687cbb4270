"""The files bucket (S3): upload forms, download links, and moving a checked upload into place.

A file has two keys: ``uploads/<account>/<file id>``, where its presigned form lets a client put
it, and ``files/<account>/<file id>``, where it is kept once checked. Both carry the account, as
the table's keys do. The client is made on first use (only the file functions pay for it).

Presigned requests are signed with the function's own credentials: S3 authorizes the upload
against the creating function's ``s3:PutObject`` on ``uploads/*`` and the download against the
reading function's ``s3:GetObject`` on ``files/*`` (infra/files.py grants exactly those).
"""

import os
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shared.data.dynamo import error_code
from shared.domain.files import FILES, UPLOADS, Upload


class UploadChanged(Exception):
    """The upload was replaced between its check and its copy."""


def bucket() -> str:
    return os.environ.get("FILES_BUCKET", "servicecycle-files")


def upload_key(account_id: str, file_id: str) -> str:
    return f"{UPLOADS}{account_id}/{file_id}"


def stored_key(account_id: str, file_id: str) -> str:
    return f"{FILES}{account_id}/{file_id}"


@cache
def client() -> Any:
    """Signature v4 and the bucket's regional host (``<bucket>.s3.<region>.amazonaws.com``): a
    form posted to the global host of a new bucket can be redirected, which a browser's upload
    does not follow. A custom endpoint (moto locally, or an S3-compatible store) is addressed
    by path, since a bucket cannot be a subdomain of an address such as 127.0.0.1."""
    custom = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if custom else "virtual", "us_east_1_regional_endpoint": "regional"},
        retries={"total_max_attempts": 3, "mode": "standard"},
    )
    return boto3.client("s3", config=config)


def upload_form(
    account_id: str, file_id: str, content_type: str, size: int, seconds: int
) -> tuple[str, dict[str, str]]:
    """A presigned POST for exactly this file: its key, its content type and exactly ``size``
    bytes (S3 refuses any other body with 400 EntityTooSmall or EntityTooLarge)."""
    form = client().generate_presigned_post(
        bucket(),
        upload_key(account_id, file_id),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=seconds,
    )
    return str(form["url"]), {str(name): str(value) for name, value in form["fields"].items()}


def download_link(account_id: str, file_id: str, disposition: str, seconds: int) -> str:
    """A presigned GET of the kept file, saved under its name (``disposition``)."""
    return str(
        client().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket(),
                "Key": stored_key(account_id, file_id),
                "ResponseContentDisposition": disposition,
            },
            ExpiresIn=seconds,
        )
    )


def uploaded(account_id: str, file_id: str) -> Upload | None:
    """What was uploaded for the file (HEAD), or None when nothing was."""
    try:
        head = client().head_object(Bucket=bucket(), Key=upload_key(account_id, file_id))
    except ClientError as error:
        if error_code(error) in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return Upload(int(head["ContentLength"]), str(head.get("ContentType") or ""), str(head["ETag"]))


def keep(account_id: str, file_id: str, upload: Upload) -> None:
    """Copy the checked upload to the file's kept key, only if it is still the object checked
    (its ETag): a form posted again meanwhile cannot slip unchecked content in. ``UploadChanged``
    when it was replaced, or taken away by a completion running at the same time."""
    try:
        client().copy_object(
            Bucket=bucket(),
            Key=stored_key(account_id, file_id),
            CopySource={"Bucket": bucket(), "Key": upload_key(account_id, file_id)},
            CopySourceIfMatch=upload.etag,
            MetadataDirective="COPY",
        )
    except ClientError as error:
        if error_code(error) in ("PreconditionFailed", "412", "NoSuchKey", "404"):
            raise UploadChanged from error
        raise


def forget_upload(account_id: str, file_id: str) -> None:
    """Delete the upload once its file is kept (the lifecycle rule would, a day later)."""
    client().delete_object(Bucket=bucket(), Key=upload_key(account_id, file_id))


def forget(account_id: str, file_id: str) -> None:
    """Delete both of a file's objects, the kept file and any upload (the bucket is versioned:
    what is deleted stays recoverable as an old version for the lifecycle's 30 days)."""
    client().delete_object(Bucket=bucket(), Key=stored_key(account_id, file_id))
    forget_upload(account_id, file_id)
