"""What hourly rates and sites share (C7-C9): entries with an id, read, changed and deleted one
item at a time, each change conditioned on the version read."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.data import catalogue_repo
from shared.faults import not_found
from shared.services.versioned import check_version, retried

# Attributes the store keeps beside an entry's own fields (set again on every write).
_BOOKKEEPING = ("PK", "SK", "version", "updated_at")


def stored_entry(account_id: str, sk: str, what: str) -> dict[str, Any]:
    item = catalogue_repo.get(account_id, sk)
    if item is None:
        raise not_found(what)
    return item


def change_entry(
    account_id: str,
    sk: str,
    what: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    expected_version: int | None,
    now: datetime,
) -> dict[str, Any]:
    """Store ``change(fields)`` over the entry's fields (None clears one); the stored item."""

    def attempt() -> dict[str, Any]:
        item = stored_entry(account_id, sk, what)
        check_version(expected_version, int(item["version"]))
        fields = {name: value for name, value in item.items() if name not in _BOOKKEEPING}
        return catalogue_repo.put(account_id, sk, {**fields, **change(fields)}, int(item["version"]), now)

    return retried(attempt)


def delete_entry(account_id: str, sk: str, what: str, expected_version: int | None) -> None:
    def attempt() -> None:
        item = stored_entry(account_id, sk, what)
        check_version(expected_version, int(item["version"]))
        catalogue_repo.delete(account_id, sk, int(item["version"]))

    retried(attempt)
