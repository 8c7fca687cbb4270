"""Idempotency-Key support for writes: a retried request returns the first result, writes nothing twice.

A key is claimed with a conditional put before the work runs (so two concurrent retries cannot
both run it), completed with the response afterwards, and released if the work failed so the
client can retry. Records live under the account's partition, expire after 24 hours (TTL), and
remember a hash of the request so a key reused for a different request is refused.
"""

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, error_code, key, refused_item, to_item
from shared.errors import ApiError, FieldIssue
from shared.http.request import Request

RETENTION_SECONDS = 24 * 3600
# A claim whose work has not finished after this long is treated as abandoned (function timeout).
IN_PROGRESS_SECONDS = 60
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Claim:
    sort_key: str
    replay: tuple[int, Any] | None = None


def _fingerprint(req: Request) -> str:
    material = json.dumps([req.method, req.path_params, req.body or ""], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


def _key_error(reason: str, status: int = 422, code: str = "invalid_idempotency_key") -> ApiError:
    return ApiError(status, code, reason, [FieldIssue("Idempotency-Key", reason)])


def claim(req: Request, resource: str, idempotency_key: str) -> Claim:
    if len(idempotency_key) > MAX_KEY_LENGTH or not idempotency_key.isprintable():
        raise _key_error(f"use at most {MAX_KEY_LENGTH} printable characters")
    sort_key = keys.idempotency_sk(resource, idempotency_key)
    now = int(time.time())
    fingerprint = _fingerprint(req)
    record = {
        "PK": keys.account_pk(req.account_id),
        "SK": sort_key,
        "entity": "idempotency",
        "state": "in_progress",
        "fingerprint": fingerprint,
        "in_progress_until": now + IN_PROGRESS_SECONDS,
        "expires_at": now + RETENTION_SECONDS,
    }
    try:
        client.put_item(
            TableName=TABLE_NAME,
            Item=to_item(record),
            ConditionExpression=(
                "attribute_not_exists(PK) OR (#state = :in_progress AND in_progress_until < :now)"
            ),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":in_progress": {"S": "in_progress"}, ":now": {"N": str(now)}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        existing = refused_item(error)
        if error_code(error) != "ConditionalCheckFailedException" or existing is None:
            raise
        if existing.get("fingerprint") != fingerprint:
            raise _key_error("this key was already used for a different request") from None
        if existing.get("state") != "completed":
            raise _key_error(
                "a request with this key is still being processed; retry shortly", 409, "request_in_progress"
            ) from None
        return Claim(sort_key, (int(existing["status"]), json.loads(existing["response"])))
    return Claim(sort_key)


def complete(account_id: str, claimed: Claim, status: int, body: Any) -> None:
    client.update_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), claimed.sort_key),
        UpdateExpression="SET #state = :completed, #status = :status, #response = :response",
        ExpressionAttributeNames={"#state": "state", "#status": "status", "#response": "response"},
        ExpressionAttributeValues={
            ":completed": {"S": "completed"},
            ":status": {"N": str(status)},
            ":response": {"S": json.dumps(body, separators=(",", ":"))},
        },
    )


def release(account_id: str, claimed: Claim) -> None:
    client.delete_item(TableName=TABLE_NAME, Key=key(keys.account_pk(account_id), claimed.sort_key))
