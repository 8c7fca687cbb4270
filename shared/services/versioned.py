"""Read, check, write: changes of one item conditioned on the version read (If-Match included)."""

from collections.abc import Callable
from typing import TypeVar

from shared.data.catalogue_repo import Moved
from shared.faults import conflict, version_mismatch

MAX_ATTEMPTS = 5
T = TypeVar("T")


def check_version(expected: int | None, current: int) -> None:
    """The client's If-Match against the version read (0: a seeded entry never changed)."""
    if expected is not None and expected != current:
        raise version_mismatch(current)


def retried(attempt: Callable[[], T], field: str | None = None) -> T:
    """Run a read-check-write until its write finds the item as read: each attempt reads again,
    so a change made meanwhile is checked like any other (If-Match included). The conflict after
    the last attempt names ``field`` (a bulk entry) when given."""
    for _ in range(MAX_ATTEMPTS):
        try:
            return attempt()
        except Moved:
            continue
    raise conflict("the item kept changing while it was written; send the request again", field)
