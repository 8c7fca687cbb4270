"""Capacity units consumed by DynamoDB calls, worked out by DynamoDB's pricing rules.

moto does not report consumed capacity, so the bench computes it from the items each call
touches (``CapacityMeter``), by the rules of the DynamoDB developer guide:

- **Item size** is the sum of attribute name lengths and value sizes: strings and binaries their
  UTF-8 / raw length, numbers 1 byte per two significant digits plus 1, booleans and nulls 1,
  lists and maps 3 bytes plus 1 per element (a map's element also counts its name), sets the sum
  of their members.
- **Writes**: 1 unit per KB of the item, rounded up per item, at least 1; an update or a
  replacing put is sized on the larger of the item before and after; a delete on the item
  deleted; a refused conditional write on the item it found. In a transaction every action
  costs twice that, a ConditionCheck too (sized on the item it reads).
- **Indexes**: each global index whose stored entry changes costs writes of its own, sized on
  the projected entry (the table's keys, the index's keys and the projected attributes): an
  entry added or removed costs one write; an entry rewritten in place one write on the larger
  image; an entry whose index key moves two (a delete and a put, each rounded on its own). An
  entry that does not change costs nothing, so a change to an attribute the index does not
  project is free on it. Index writes caused by a transaction are not doubled.
- **Reads**: 1 unit per 4 KB, strongly consistent; half that eventually consistent. GetItem
  and each key of BatchGetItem round per item (a missing item still costs the minimum); Query
  rounds the total of the items it evaluated (before any filter, whatever the projection
  expression), at least one unit; index Queries are eventually consistent and sized on the
  projected entries. TransactGetItems costs twice.

Images before and after a write are read through a second client of the same endpoint that
carries no hooks, so measuring never counts itself.
"""

import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
TRANSACTION_FACTOR = 2
TABLE = "table"  # the name a table's own units are kept under, beside its indexes' names


# --- sizes -------------------------------------------------------------------------------------


def number_size(text: str) -> int:
    """Bytes of a number value: 1 per two significant digits, plus 1."""
    mantissa = text.lstrip("+-").lower().split("e")[0]
    digits = mantissa.replace(".", "").strip("0")  # leading and trailing zeros are trimmed
    return (max(len(digits), 1) + 1) // 2 + 1


def value_size(value: dict[str, Any]) -> int:
    """Bytes of one typed value (``{"S": "..."}``, ``{"N": "12"}``, ``{"M": {...}}``...)."""
    [(kind, data)] = value.items()
    if kind == "S":
        return len(data.encode())
    if kind == "N":
        return number_size(data)
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(member.encode()) for member in data)
    if kind == "NS":
        return sum(number_size(member) for member in data)
    if kind == "BS":
        return sum(len(member) for member in data)
    if kind == "L":
        return 3 + sum(1 + value_size(member) for member in data)
    if kind == "M":
        return 3 + sum(len(name.encode()) + 1 + value_size(member) for name, member in data.items())
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes of an item (0 for no item)."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / WRITE_UNIT_BYTES))


def read_units(size: int, consistent: bool = True) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    return units if consistent else units / 2


# --- indexes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    """A global index: its keys and what it projects (None: every attribute)."""

    name: str
    partition: str
    sort: str | None
    projected: frozenset[str] | None = None  # KEYS_ONLY: an empty set

    def entry(self, item: dict[str, Any] | None, table_keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The index's stored entry of ``item``, or None when the item is not in the index
        (sparse: it lacks one of the index's keys)."""
        if not item:
            return None
        own = (self.partition,) + ((self.sort,) if self.sort else ())
        if any(name not in item for name in own):
            return None
        if self.projected is None:
            return dict(item)
        kept = set(table_keys) | set(own) | self.projected
        return {name: value for name, value in item.items() if name in kept}

    def key_of(self, entry: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(entry.get(name)) for name in (self.partition, self.sort) if name)


def index_write_units(index: Index, before: Any, after: Any, table_keys: tuple[str, ...]) -> int:
    """Writes one index takes when an item goes from ``before`` to ``after`` (None: absent)."""
    old, new = index.entry(before, table_keys), index.entry(after, table_keys)
    if old is None and new is None:
        return 0
    if old is None:
        return write_units(item_size(new))
    if new is None:
        return write_units(item_size(old))
    if index.key_of(old) != index.key_of(new):
        return write_units(item_size(old)) + write_units(item_size(new))
    if old == new:
        return 0
    return max(write_units(item_size(old)), write_units(item_size(new)))


@dataclass(frozen=True)
class TableShape:
    """What the rules need to know of a table: its key attributes and its global indexes."""

    keys: tuple[str, ...]
    indexes: tuple[Index, ...]

    @classmethod
    def from_description(cls, description: dict[str, Any]) -> "TableShape":
        """From ``describe_table``'s ``Table`` (or a ``create_table`` request)."""
        keys = tuple(part["AttributeName"] for part in description["KeySchema"])
        indexes = []
        for gsi in description.get("GlobalSecondaryIndexes", []):
            by_role = {part["KeyType"]: part["AttributeName"] for part in gsi["KeySchema"]}
            projection = gsi.get("Projection", {"ProjectionType": "ALL"})
            kind = projection["ProjectionType"]
            projected: frozenset[str] | None = None
            if kind == "KEYS_ONLY":
                projected = frozenset()
            elif kind == "INCLUDE":
                projected = frozenset(projection.get("NonKeyAttributes", []))
            indexes.append(Index(gsi["IndexName"], by_role["HASH"], by_role.get("RANGE"), projected))
        return cls(keys, tuple(indexes))

    def key_of(self, item: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(item[name]) for name in self.keys)

    def index(self, name: str) -> Index:
        return next(index for index in self.indexes if index.name == name)


def write_charges(
    shape: TableShape, before: Any, after: Any, *, refused: bool = False, transaction: bool = False
) -> dict[str, int]:
    """Units one write action consumes, on the table and on each index it changes."""
    factor = TRANSACTION_FACTOR if transaction else 1
    if refused:
        return {TABLE: factor * write_units(item_size(before))}
    charges = {TABLE: factor * write_units(max(item_size(before), item_size(after)))}
    for index in shape.indexes:
        units = index_write_units(index, before, after, shape.keys)
        if units:
            charges[index.name] = units
    return charges


# --- the meter ---------------------------------------------------------------------------------


@dataclass
class Usage:
    """Units consumed, by table / index name (``TABLE`` for the table itself)."""

    writes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    reads: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add_writes(self, charges: dict[str, int]) -> None:
        for name, units in charges.items():
            self.writes[name] += units

    def add_read(self, name: str, units: float) -> None:
        self.reads[name] += units

    @property
    def write_units(self) -> float:
        return sum(self.writes.values())

    @property
    def read_units(self) -> float:
        return sum(self.reads.values())

    def merged(self, other: "Usage") -> "Usage":
        total = Usage()
        for usage in (self, other):
            for name, units in usage.writes.items():
                total.writes[name] += units
            for name, units in usage.reads.items():
                total.reads[name] += units
        return total

    def describe_writes(self) -> str:
        return _describe(self.writes)

    def describe_reads(self) -> str:
        return _describe(self.reads)


def _describe(units: dict[str, float]) -> str:
    parts = [
        f"{name} {value:g}" for name, value in sorted(units.items(), key=lambda kv: kv[0] != TABLE) if value
    ]
    return ", ".join(parts) or "none"


def _write_keys(operation: str, params: dict[str, Any], shape: TableShape) -> list[dict[str, Any]]:
    """The keys of the items a write call touches, in the order of its actions."""

    def key_of(action: dict[str, Any]) -> dict[str, Any]:
        source = action.get("Item") or action.get("Key") or {}
        return {name: source[name] for name in shape.keys}

    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return [key_of(params)]
    if operation == "TransactWriteItems":
        return [key_of(next(iter(action.values()))) for action in params["TransactItems"]]
    if operation == "BatchWriteItem":
        return [
            key_of(next(iter(request.values())))
            for requests in params["RequestItems"].values()
            for request in requests
        ]
    return []


class CapacityMeter:
    """Counts the units of every call made on ``client`` while it is on (``with meter:``).

    ``reader`` is another client of the same table without hooks: it reads the images a write
    is priced on. Calls from any thread are counted (the readings batch writes in parallel).
    """

    def __init__(self, client: Any, reader: Any, table_name: str) -> None:
        self.client = client
        self.reader = reader
        self.table_name = table_name
        self.shape = TableShape.from_description(reader.describe_table(TableName=table_name)["Table"])
        self.lock = threading.Lock()
        self.usage = Usage()
        self.calls: list[tuple[str, Usage]] = []
        self._pending = threading.local()

    # images

    def _images(self, keys: Iterable[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
        wanted = list({self.shape.key_of(_plain(k)): k for k in keys}.values())
        found: dict[tuple[str, ...], dict[str, Any]] = {}
        for start in range(0, len(wanted), 100):
            request: dict[str, Any] = {
                self.table_name: {"Keys": wanted[start : start + 100], "ConsistentRead": True}
            }
            while request:
                response = self.reader.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    found[self.shape.key_of(_plain(item))] = item
                request = response.get("UnprocessedKeys") or {}
        return found

    # hooks

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        keys = _write_keys(model.name, params, self.shape)
        self._pending.call = (model.name, params, keys, self._images(keys) if keys else {})

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        pending = getattr(self._pending, "call", None)
        self._pending.call = None
        if pending is None or pending[0] != model.name:
            return
        operation, params, keys, before = pending
        usage = Usage()
        failed = "Error" in parsed
        if keys:
            self._price_writes(usage, operation, params, keys, before, failed, parsed)
        elif not failed:
            self._price_reads(usage, operation, params, parsed)
        with self.lock:
            self.usage = self.usage.merged(usage)
            self.calls.append((operation, usage))

    def _price_writes(
        self,
        usage: Usage,
        operation: str,
        params: dict[str, Any],
        keys: list[dict[str, Any]],
        before: dict[tuple[str, ...], dict[str, Any]],
        failed: bool,
        parsed: dict[str, Any],
    ) -> None:
        after = {} if failed else self._images(keys)
        transaction = operation == "TransactWriteItems"
        actions = params["TransactItems"] if transaction else [None] * len(keys)
        reasons = [reason.get("Code") for reason in parsed.get("CancellationReasons", [])]
        for position, (key, action) in enumerate(zip(keys, actions, strict=True)):
            at = self.shape.key_of(_plain(key))
            old = before.get(at)
            if action is not None and "ConditionCheck" in action:
                usage.add_writes({TABLE: TRANSACTION_FACTOR * write_units(item_size(old))})
                continue
            refused = failed and (not reasons or reasons[position] == "ConditionalCheckFailed")
            if failed and not refused:
                continue  # an action of a cancelled transaction that was not itself refused
            usage.add_writes(
                write_charges(self.shape, old, after.get(at), refused=refused, transaction=transaction)
            )

    def _price_reads(
        self, usage: Usage, operation: str, params: dict[str, Any], parsed: dict[str, Any]
    ) -> None:
        consistent = bool(params.get("ConsistentRead"))
        if operation == "GetItem":
            found = self._images([params["Key"]])
            usage.add_read(TABLE, read_units(item_size(next(iter(found.values()), None)), consistent))
        elif operation == "BatchGetItem":
            for table_request in params["RequestItems"].values():
                keys = table_request["Keys"]
                found = self._images(keys)
                for key in keys:
                    item = found.get(self.shape.key_of(_plain(key)))
                    usage.add_read(
                        TABLE, read_units(item_size(item), bool(table_request.get("ConsistentRead")))
                    )
        elif operation == "TransactGetItems":
            keys = [action["Get"]["Key"] for action in params["TransactItems"]]
            found = self._images(keys)
            for key in keys:
                item = found.get(self.shape.key_of(_plain(key)))
                usage.add_read(TABLE, TRANSACTION_FACTOR * read_units(item_size(item)))
        elif operation == "Query":
            self._price_query(usage, params)

    def _price_query(self, usage: Usage, params: dict[str, Any]) -> None:
        """A Query is priced on the items it evaluated: the same Query again, without the filter
        and the projection expression that do not change its price."""
        shadow = {
            name: value
            for name, value in params.items()
            if name not in ("FilterExpression", "ProjectionExpression", "Select", "ReturnConsumedCapacity")
        }
        used = _names_in(shadow)
        if "ExpressionAttributeNames" in shadow:
            shadow["ExpressionAttributeNames"] = {
                k: v for k, v in shadow["ExpressionAttributeNames"].items() if k in used
            } or None
        if "ExpressionAttributeValues" in shadow:
            shadow["ExpressionAttributeValues"] = {
                k: v for k, v in shadow["ExpressionAttributeValues"].items() if k in used
            } or None
        shadow = {name: value for name, value in shadow.items() if value is not None}
        items = self.reader.query(**shadow).get("Items", [])
        index_name = params.get("IndexName")
        if index_name:
            index = self.shape.index(index_name)
            items = [index.entry(item, self.shape.keys) for item in items]
        size = sum(item_size(item) for item in items)
        consistent = bool(params.get("ConsistentRead")) and not index_name
        usage.add_read(index_name or TABLE, read_units(size, consistent))

    # switching on and off

    def __enter__(self) -> "CapacityMeter":
        self.client.meta.events.register("before-parameter-build.dynamodb", self._before)
        self.client.meta.events.register("after-call.dynamodb", self._after)
        return self

    def __exit__(self, *_: object) -> None:
        self.client.meta.events.unregister("before-parameter-build.dynamodb", self._before)
        self.client.meta.events.unregister("after-call.dynamodb", self._after)

    @contextmanager
    def measure(self) -> Iterator[Usage]:
        """Units of the calls made inside the block (from any thread)."""
        with self.lock:
            self.usage = Usage()
            self.calls = []
        result = Usage()
        yield result
        with self.lock:
            result.writes.update(self.usage.writes)
            result.reads.update(self.usage.reads)


def _plain(key: dict[str, Any]) -> dict[str, Any]:
    """A typed key as comparable plain values."""
    return {name: next(iter(value.values())) for name, value in key.items()}


def _names_in(request: dict[str, Any]) -> set[str]:
    """The ``#name`` and ``:value`` placeholders the expressions of a request still use."""
    import re  # noqa: PLC0415 - only the bench needs it

    text = " ".join(
        str(request.get(name, ""))
        for name in ("KeyConditionExpression", "FilterExpression", "ProjectionExpression")
    )
    return set(re.findall(r"[#:][A-Za-z0-9_]+", text))
