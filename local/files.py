"""Files on a laptop: the bucket in moto, versioned and with CORS like the deployed one (moto keeps
but does not run lifecycle rules, so they are left to the stack), and the handlers pointed at it.

The handlers' S3 client uses the moto endpoint (AWS_ENDPOINT_URL), so the upload forms and
download links they hand out point at it too: ``curl -F ... -F file=@photo.jpg <url>`` works
against ``make dev``. moto does not enforce a form's policy (size, content type, expiry); the
completion checks size and type itself (shared/domain/files.py).
"""

import os
from typing import Any

from local.settings import LOCAL_REGION

LOCAL_BUCKET = "servicecycle-files-local"


def _client() -> Any:
    import boto3  # noqa: PLC0415 - only after the environment points at moto

    return boto3.client("s3", region_name=LOCAL_REGION)


def provision() -> None:
    """Create the files bucket (again: a bucket already there is kept) and name it to the handlers."""
    s3 = _client()
    if LOCAL_BUCKET not in {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=LOCAL_BUCKET, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION})
        s3.put_bucket_versioning(Bucket=LOCAL_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_cors(
            Bucket=LOCAL_BUCKET,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedMethods": ["GET", "HEAD", "POST"],
                        "AllowedOrigins": ["*"],
                        "AllowedHeaders": ["*"],
                    }
                ]
            },
        )
    os.environ["FILES_BUCKET"] = LOCAL_BUCKET
