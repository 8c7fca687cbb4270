"""Identifiers: a short type prefix plus a time-ordered random part (ULID layout).

Time ordering makes "newest first" a plain key order in DynamoDB and keeps ids readable
("ast_01JD..." is an asset). The random part makes ids unguessable.
"""

import os
import re
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BODY = "[0-9A-HJKMNP-TV-Z]{26}"  # Crockford base32: no I, L, O, U
_ID_BODY = re.compile(f"^{_BODY}$")


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rest = divmod(value, 32)
        chars.append(_CROCKFORD[rest])
    return "".join(reversed(chars))


# What each path parameter looks like, for the OpenAPI document (anything else is a 404).
# Catalogue entries an account names itself (a work-order status, type or reason) have a key.
KEY_PATTERN = "^[a-z][a-z0-9_]{0,39}$"
ID_PATTERNS = {
    "asset_id": f"^ast_{_BODY}$",
    "task_id": f"^tsk_{_BODY}{_BODY}$",
    "work_order_id": f"^wo_{_BODY}$",
    "line_id": f"^li_{_BODY}$",
    "note_id": f"^nt_{_BODY}$",
    "file_id": f"^fil_{_BODY}$",
    "site_id": f"^sit_{_BODY}$",
    "rate_id": f"^rate_{_BODY}$",
    "plan_id": f"^pln_{_BODY}$",
    "planned_service_id": f"^psv_{_BODY}$",
    "network_id": f"^net_{_BODY}$",
    "overlay_id": f"^ovl_{_BODY}$",
    "revision": "^[1-9][0-9]{0,5}$",
    # Another account, as the tokens name accounts (a provider).
    "account_id": "^[A-Za-z0-9_-]{1,64}$",
    "status_key": KEY_PATTERN,
    "type_key": KEY_PATTERN,
    "reason_code": KEY_PATTERN,
    # A public status link's reference: 32 random bytes, base64url without padding.
    "reference": "^[A-Za-z0-9_-]{43}$",
}


def new_id(prefix: str) -> str:
    """A new id such as ``ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7``: 48 bits of milliseconds, 80 random bits."""
    millis = time.time_ns() // 1_000_000
    randomness = int.from_bytes(os.urandom(10), "big")
    return f"{prefix}_{_encode(millis, 10)}{_encode(randomness, 16)}"


def is_valid_id(value: str, prefix: str) -> bool:
    """True when ``value`` has the shape of an id of this type (anything else cannot exist)."""
    head, sep, body = value.partition("_")
    return sep == "_" and head == prefix and bool(_ID_BODY.match(body))


def new_child_id(prefix: str, parent_id: str) -> str:
    """An id that also names its parent: ``tsk_<asset part><own part>``.

    A task is stored beside its asset's other tasks; carrying the asset in the id lets a task be
    read with one key lookup while the asset's tasks stay one consistent key range.
    """
    return child_id(prefix, parent_id, new_id(prefix).partition("_")[2])


def child_id(prefix: str, parent_id: str, own: str) -> str:
    """The child id made of its parent's id and its own part (the inverse of :func:`own_part`)."""
    return f"{prefix}_{parent_id.partition('_')[2]}{own}"


def own_part(child: str, parent_id: str) -> str:
    """What a child id adds to its parent's (kept where the parent is known, to save bytes)."""
    return child.partition("_")[2].removeprefix(parent_id.partition("_")[2])


def parent_of(child_id: str, child_prefix: str, parent_prefix: str) -> str | None:
    """The parent id inside a child id, or None when ``child_id`` is not one of that type."""
    head, sep, body = child_id.partition("_")
    if sep != "_" or head != child_prefix or len(body) != 52:
        return None
    if not (_ID_BODY.match(body[:26]) and _ID_BODY.match(body[26:])):
        return None
    return f"{parent_prefix}_{body[:26]}"
