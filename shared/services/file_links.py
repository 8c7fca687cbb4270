"""A file goes with its last link (docs/files.md, "How long a file lives").

A file's item counts its links (``links``): its declared link (the task, completion or work order
it was declared for, while that is there), each task whose ``attachment_ids`` name it, and each
history entry (a completion) that names it. The count is never below what names the file:

- a write that makes a reference takes its links before it commits (``Hold``: an ADD on each
  file, conditioned on the file being there and available, so a file deleted meanwhile is
  refused, never named);
- a write that drops a reference gives its link back only after it committed (``unlink``); the
  decrement that leaves none deletes the file (conditioned on still none: a link taken meanwhile
  keeps it), then its objects in the bucket.

A write that fails after taking its links gives them back when it was refused (a fault: nothing
was committed) and keeps them otherwise (it may have committed): a count can be too high, which
keeps a file longer, never too low. Giving back never deletes a file: one that nothing named
before stays as it was.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from shared.data import files_repo, keys, storage
from shared.data.asset_state import AssetChanged
from shared.faults import Fault
from shared.observability import count
from shared.services.files import unknown_files

T = TypeVar("T")


def counts(file_ids: Iterable[str], times: int = 1) -> Counter[str]:
    """``times`` links of each file named (a list naming a file twice counts it once)."""
    return Counter(dict.fromkeys(file_ids, times)) if times > 0 else Counter()


def _give_back(account_id: str, taken: Counter[str]) -> None:
    for file_id, n in sorted(taken.items()):
        if n > 0:
            files_repo.drop_links(account_id, file_id, n)


def unlink(account_id: str, dropped: Counter[str]) -> None:
    """References to files were dropped and committed: their links go, and each file left with
    none goes too (its item, then its objects)."""
    for file_id, n in sorted(dropped.items()):
        if n <= 0:
            continue
        left = files_repo.drop_links(account_id, file_id, n)
        if left is not None and left <= 0 and files_repo.delete_unlinked(account_id, file_id):
            storage.forget(account_id, file_id)
            count("FilesDeleted")


class Hold:
    """The links a write takes for the references it is about to commit, once whatever its rounds.

    A write that reads, decides and commits may run its step again (what it read changed); each
    round says before its commit what it will name (``need``), and only what no earlier round
    took is taken. ``run`` ends the write: after it succeeded, what was taken beyond what the
    committed round named is given back; after a refusal (a fault), all of it.

    A file that cannot be linked (gone, or not available) is a 422 ``unknown_file`` naming its
    entries in ``listed`` (the request's list at ``field``); a file the write named only because
    of what it read (a task's own attachments) went because that changed: ``moved`` is raised,
    which the write's retry loop answers with a fresh read.
    """

    def __init__(
        self,
        account_id: str,
        field: str = "",
        listed: Sequence[str] | None = None,
        moved: Callable[[], Exception] = AssetChanged,
    ) -> None:
        self.account_id = account_id
        self.field = field
        self.listed = list(listed or [])
        self.moved = moved
        self.taken: Counter[str] = Counter()
        self.named: Counter[str] = Counter()

    def need(self, file_ids: Iterable[str], times: int = 1) -> None:
        self.need_all(counts(file_ids, times))

    def need_all(self, wanted: Counter[str]) -> None:
        """This round will commit ``wanted`` links: take those that earlier rounds did not."""
        self.named = Counter(wanted)
        took: Counter[str] = Counter()
        missing = []
        for file_id, n in sorted((wanted - self.taken).items()):
            if files_repo.add_links(self.account_id, file_id, n):
                took[file_id] = n
            else:
                missing.append(file_id)
        if missing:
            _give_back(self.account_id, took)
            if any(file_id in missing for file_id in self.listed):
                raise unknown_files(self.field, self.listed, set(missing))
            raise self.moved()
        self.taken += took

    def run(self, write: Callable[[], T]) -> T:
        try:
            result = write()
        except Fault:
            self.named = Counter()
            _give_back(self.account_id, self.taken)
            raise
        _give_back(self.account_id, self.taken - self.named)
        return result


def tasks_deleted(account_id: str, tasks: list[dict[str, Any]], prefix: str) -> None:
    """Tasks were deleted (committed): their attachments' links go, and so do the files declared
    for them (their marks, found under ``prefix``: one task's or one asset's). The history
    entries of their completions stay, and so do those links."""
    dropped: Counter[str] = Counter()
    for task in tasks:
        dropped += counts(task.get("attachment_ids") or [])
    gone = {task["id"] for task in tasks}
    marks = [mark for mark in files_repo.task_marks(account_id, prefix) if mark["task_id"] in gone]
    files_repo.delete_marks(marks)
    dropped += Counter(mark["file_id"] for mark in marks)
    unlink(account_id, dropped)


def task_prefix(task_id: str) -> str:
    """Where the marks of one task's files are (``tasks_deleted``)."""
    return f"{task_id}#"


def asset_prefix(asset_id: str) -> str:
    """Where the marks of the files of one asset's tasks are."""
    return keys.asset_task_ids(asset_id)


def order_deleted(account_id: str, deleted_keys: list[str]) -> None:
    """An open order's partition was deleted, the marks of the files declared for it with it:
    those links go."""
    unlink(account_id, Counter(sk.removeprefix(keys.FILE) for sk in deleted_keys if sk.startswith(keys.FILE)))
