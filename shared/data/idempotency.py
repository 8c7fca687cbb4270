"""Idempotency records: a retried write gets the first answer, and the work runs once.

A key is claimed with a conditional put before the work runs (so two concurrent retries cannot
both run it), completed with the answer afterwards, and released if the work failed so the
client can retry. Records live under the account's partition, expire after 24 hours (TTL), and
keep a fingerprint of the request so a key reused for a different request is refused.

The answer is stored compressed; one too large for an item (DynamoDB's 400 KB) is stored in
parts beside the record, written before the record says "completed", so a replay always finds
the whole answer and a key never wedges on a large response.
"""

import json
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, error_code, key, refused_item, to_item

RETENTION_SECONDS = 24 * 3600
# A claim whose work has not finished after this long is treated as abandoned (function timeout).
IN_PROGRESS_SECONDS = 60
# Compressed answer bytes per item: well inside the 400 KB item limit with keys and attributes.
PART_BYTES = 350_000


class KeyReused(Exception):
    """The key was used before for a different request."""


class StillRunning(Exception):
    """A request with this key is being processed right now."""


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    sort_key: str
    replay: Replay | None = None


def _record_key(account_id: str, sort_key: str) -> dict[str, Any]:
    return key(keys.account_pk(account_id), sort_key)


def _part_sk(sort_key: str, number: int) -> str:
    return f"{sort_key}#PART#{number:03d}"


def claim(account_id: str, resource: str, idempotency_key: str, fingerprint: str) -> Claim:
    """Claim the key for this request, or the stored answer when it ran before.

    Raises KeyReused (another request used the key) or StillRunning (it is running now).
    """
    sort_key = keys.idempotency_sk(resource, idempotency_key)
    now = int(time.time())
    record = {
        "PK": keys.account_pk(account_id),
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
            raise KeyReused from None
        if existing.get("state") != "completed":
            raise StillRunning from None
        return Claim(sort_key, _replay(account_id, sort_key, existing))
    return Claim(sort_key)


def _replay(account_id: str, sort_key: str, record: dict[str, Any]) -> Replay:
    parts = int(record.get("parts", 0))
    if parts:
        packed = b"".join(_part(account_id, sort_key, number) for number in range(parts))
    else:
        packed = bytes(record["answer"])
    answer = json.loads(zlib.decompress(packed))
    return Replay(int(record["status"]), answer["body"], answer.get("headers") or {})


def _part(account_id: str, sort_key: str, number: int) -> bytes:
    response = client.get_item(
        TableName=TABLE_NAME, Key=_record_key(account_id, _part_sk(sort_key, number)), ConsistentRead=True
    )
    return bytes(response["Item"]["chunk"]["B"])


def complete(account_id: str, claimed: Claim, status: int, body: Any, headers: dict[str, str]) -> None:
    """Store the answer of the claimed request: later retries with the key get exactly it."""
    answer = json.dumps({"body": body, "headers": headers}, separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(answer.encode("utf-8"), 6)
    chunks = [packed[start : start + PART_BYTES] for start in range(0, len(packed), PART_BYTES)]
    expires_at = int(time.time()) + RETENTION_SECONDS
    values: dict[str, Any] = {
        ":completed": {"S": "completed"},
        ":status": {"N": str(status)},
    }
    if len(chunks) == 1:
        stored, name = "#answer = :answer", "answer"
        values[":answer"] = {"B": packed}
    else:
        for number, chunk in enumerate(chunks):
            client.put_item(
                TableName=TABLE_NAME,
                Item={
                    **_record_key(account_id, _part_sk(claimed.sort_key, number)),
                    "entity": {"S": "idempotency_part"},
                    "chunk": {"B": chunk},
                    "expires_at": {"N": str(expires_at)},
                },
            )
        stored, name = "#parts = :parts", "parts"
        values[":parts"] = {"N": str(len(chunks))}
    client.update_item(
        TableName=TABLE_NAME,
        Key=_record_key(account_id, claimed.sort_key),
        UpdateExpression=f"SET #state = :completed, #status = :status, {stored}",
        ExpressionAttributeNames={"#state": "state", "#status": "status", f"#{name}": name},
        ExpressionAttributeValues=values,
    )


def release(account_id: str, claimed: Claim) -> None:
    client.delete_item(TableName=TABLE_NAME, Key=_record_key(account_id, claimed.sort_key))
