"""Where the local moto is too slow for the stack, made fast without changing what it answers.

moto's DynamoDB ``transact_write_items`` deep-copies the table of each action before it applies
any, so that it can put the copy back if one fails: at 10,000 items that is a second or more a
transaction, whether it fails or not. ``patch_transactions`` keeps moto's method, which still
runs every action, every check and words every error, and swaps only its backup: before the
method runs, each slot (table, key) an action names is saved, the item as it was or its
absence; the method's copy of a table is the table itself, so its rollback puts back what is
already there; on any exception the saved slots are put back and the exception goes on,
unchanged. moto derives its indexes from the table's items on each query and scan
(``Table.query``, ``Table.has_idx_items``): there is no index state of its own to put back.

If the installed moto's method is not the one this was written against, nothing is patched and
moto's own method runs."""

import copy
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

_PATCHED = "_servicecycle_backs_up_items"
_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")
# What moto's method must do for the swap to be right (whitespace removed): copy each table it
# names whole, and on failure put that copy back in the table's place.
_EXPECTED_SOURCE = (
    "original_table_state[table_name]=copy.deepcopy(self.tables[table_name])",
    "self.tables[table_name]=original_table_state[table_name]",
)

TransactWrite = Callable[[Any, list[dict[str, Any]]], None]
# (table name, partition key, sort key or None) -> (whether the partition was there, the item or None)
Saved = dict[tuple[str, Any, Any], tuple[bool, Any]]


def patch_transactions() -> bool:
    """Make moto's TransactWriteItems back up only the items it touches. Safe to call again.
    Returns whether the patch is in effect."""
    from moto.dynamodb.models import DynamoDBBackend  # noqa: PLC0415 - moto only when local

    method = DynamoDBBackend.transact_write_items
    if getattr(method, _PATCHED, False):
        return True
    if not _is_expected(method):
        return False
    DynamoDBBackend.transact_write_items = _backing_up_items(method)  # type: ignore[method-assign,assignment]
    return True


def transactions_patched() -> bool:
    from moto.dynamodb.models import DynamoDBBackend  # noqa: PLC0415

    return bool(getattr(DynamoDBBackend.transact_write_items, _PATCHED, False))


def _is_expected(method: Callable[..., Any]) -> bool:
    try:
        parameters = list(inspect.signature(method).parameters)
        source = re.sub(r"\s+", "", inspect.getsource(method))
    except (OSError, TypeError, ValueError):
        return False
    return parameters == ["self", "transact_items"] and all(part in source for part in _EXPECTED_SOURCE)


def _backing_up_items(original: TransactWrite) -> TransactWrite:
    @wraps(original)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        try:
            tables = _named_tables(self, transact_items)
            streams = any(table.stream_shard is not None for table in tables)
            saved = None if streams else _save(self, transact_items)
        except Exception:  # tables not as this reads them: moto's own method, whole
            tables, saved = [], None
        if saved is None:  # and for a table with a stream, whose records moto's rollback takes back
            original(self, transact_items)
            return
        try:
            with _copied_as_themselves(tables):
                original(self, transact_items)
        except Exception:
            _restore(self, saved)
            raise

    setattr(transact_write_items, _PATCHED, True)
    return transact_write_items


def _operations(transact_items: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (action type, action) that moto may apply; it refuses the rest before writing."""
    for action in transact_items:
        if isinstance(action, dict):
            for kind, operation in action.items():
                if kind in _ACTIONS and isinstance(operation, dict):
                    yield kind, operation


def _named_tables(backend: Any, transact_items: list[dict[str, Any]]) -> list[Any]:
    names = {op.get("TableName") for _, op in _operations(transact_items)}
    return [backend.tables[name] for name in names if name in backend.tables]


def _save(backend: Any, transact_items: list[dict[str, Any]]) -> Saved:
    from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: PLC0415

    saved: Saved = {}
    for kind, operation in _operations(transact_items):
        table = backend.tables.get(operation.get("TableName"))
        key = operation.get("Item" if kind == "Put" else "Key")
        if table is None or not isinstance(key, dict):
            continue  # moto records the error without writing
        sort_attr = table.range_key_attr
        if table.hash_key_attr not in key or (sort_attr is not None and sort_attr not in key):
            continue  # the same: moto cannot write an item without its key
        try:
            hash_key = DynamoType(key[table.hash_key_attr])
            sort_key = DynamoType(key[sort_attr]) if sort_attr is not None else None
        except Exception:  # noqa: S112 - a malformed key value: moto refuses it before writing
            continue
        partition = table.items.get(hash_key)
        item = partition if sort_key is None else (partition or {}).get(sort_key)
        saved[(table.name, hash_key, sort_key)] = (partition is not None, copy.deepcopy(item))
    return saved


def _restore(backend: Any, saved: Saved) -> None:
    for (name, hash_key, sort_key), (had_partition, item) in saved.items():
        table = backend.tables.get(name)
        if table is None:
            continue
        if sort_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
            continue
        if item is not None:
            table.items[hash_key][sort_key] = item
            continue
        partition = table.items.get(hash_key)
        if partition is not None:
            partition.pop(sort_key, None)
            if not partition and not had_partition:
                # moto's reads of a missing key leave an empty partition behind (a defaultdict)
                del table.items[hash_key]


@contextmanager
def _copied_as_themselves(tables: Iterable[Any]) -> Iterator[None]:
    """``copy.deepcopy(table)`` answers the table itself while the transaction runs: the
    instance's own ``__deepcopy__``, which ``copy.deepcopy`` looks up on the object."""
    tables = list(tables)
    for table in tables:
        vars(table)["__deepcopy__"] = lambda memo, table=table: table
    try:
        yield
    finally:
        for table in tables:
            vars(table).pop("__deepcopy__", None)
