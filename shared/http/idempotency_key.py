"""The Idempotency-Key header: its form, what makes two requests "the same", and its refusals.

The records themselves are kept by shared/data/idempotency.py, which knows nothing of HTTP.
"""

import hashlib
import json
import re

from shared.data import idempotency
from shared.faults import FieldIssue
from shared.http.errors import ApiError
from shared.http.request import Request

# 1 to 255 visible ASCII characters (a UUID, a hash, an order number). Also in the API document.
KEY_PATTERN = "^[!-~]{1,255}$"
_KEY = re.compile(KEY_PATTERN)


def _key_error(reason: str, status: int = 422, code: str = "invalid_idempotency_key") -> ApiError:
    return ApiError(status, code, reason, [FieldIssue("header.Idempotency-Key", reason)])


def fingerprint(req: Request) -> str:
    """What a retry must repeat exactly: the method, the path's ids and the body."""
    material = json.dumps([req.method, req.path_params, req.body or ""], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


def claim(req: Request, resource: str, key: str) -> idempotency.Claim:
    if not _KEY.match(key):
        raise _key_error("use 1 to 255 visible ASCII characters, e.g. a UUID")
    try:
        return idempotency.claim(req.account_id, resource, key, fingerprint(req))
    except idempotency.KeyReused:
        raise _key_error(
            "this key was already used for a different request; use a new key", code="idempotency_key_reused"
        ) from None
    except idempotency.StillRunning:
        raise _key_error(
            "a request with this key is still being processed; retry shortly", 409, "request_in_progress"
        ) from None
