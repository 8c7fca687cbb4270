"""moto's index Queries, made proportional to what they find rather than to the index.

moto answers a Query on an index by sorting every item of the table, taking those whose index
partition key matches, sorting them again and then walking them in order, sizing each one, and keeping those
whose sort key meets the condition. On an index where most entries of a partition lie outside
the condition (the evaluator's index holds every date task, at instants weeks ahead, and asks
for the ones up to now) each Query costs the whole partition: seconds at 100,000 tasks.

``patch_index_queries`` hands moto's own method only the items that meet the key condition,
partition and sort key both, found in one cheap pass, and the nearest entry outside it on each
side. moto then sorts, pages, limits, sizes and counts exactly as before, over the same items it
would have kept: the answer is the same, including ``ScannedCount`` and ``LastEvaluatedKey``.
Queries with more than one sort-key condition (multi-attribute keys) go to moto unchanged.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

_PATCHED = "_servicecycle_prefilters"


def patch_index_queries() -> bool:
    """Install the prefilter on moto's Table.query (again: nothing). Whether it is in effect."""
    from moto.dynamodb.models.table import Table  # noqa: PLC0415 - moto only when local

    if getattr(Table.query, _PATCHED, False):
        return True
    Table.query = _prefiltering(Table.query)  # type: ignore[method-assign]
    return True


def _range_attribute(table: Any, index_name: str) -> str | None:
    for index in table.all_indexes():
        if index.name == index_name:
            ranges = [key["AttributeName"] for key in index.schema if key["KeyType"] == "RANGE"]
            return ranges[0] if len(ranges) == 1 else None
    return None


def _unsorted(table: Any) -> list[Any]:
    """Every item of the table, in no order (moto's ``all_items`` sorts them all first)."""
    if table.range_key_attr:
        return [item for partition in table.items.values() for item in partition.values()]
    return list(table.items.values())


def _sorts_below(comparison: str, sort: Any, bounds: list[Any]) -> bool:
    """Whether an entry whose sort key fails ``comparison`` lies below the condition's range."""
    if comparison in ("<", "<=", "LT", "LE"):
        return False
    if comparison in (">", ">=", "GT", "GE"):
        return True
    return bool(sort < bounds[0])


def _prefiltering(original: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(original)
    def query(
        self: Any, hash_key: Any, range_comparison: Any, range_objs: Any, *args: Any, **kwargs: Any
    ) -> Any:
        # moto passes limit, exclusive_start_key, scan_index_forward, projections, index_name
        index_name = kwargs.get("index_name", args[4] if len(args) > 4 else None)
        hashes = kwargs.get("hash_key_conditions") or []
        ranges = kwargs.get("range_key_conditions") or []
        range_attribute = _range_attribute(self, index_name) if index_name else None
        if not (
            index_name and range_comparison and range_attribute and len(hashes) == 1 and len(ranges) <= 1
        ):
            return original(self, hash_key, range_comparison, range_objs, *args, **kwargs)
        [(hash_attribute, hash_value)] = hashes

        def matching() -> list[Any]:
            found: list[Any] = []
            # The nearest entries of the partition just outside the condition, on either side:
            # moto ends a full page with a LastEvaluatedKey when any entry follows it in order,
            # whether it matches or not (as DynamoDB does: it does not look ahead).
            below: tuple[Any, Any] | None = None
            above: tuple[Any, Any] | None = None
            for item in _unsorted(self):
                value = item.attrs.get(hash_attribute)
                if value is None or value.value != hash_value.value or value.type != hash_value.type:
                    continue
                sort = item.attrs.get(range_attribute)
                if sort is None:
                    continue
                if sort.compare(range_comparison, range_objs):
                    found.append(item)
                    continue
                position = (sort, item.range_key)
                if _sorts_below(range_comparison, sort, range_objs):
                    if below is None or below[0] < position:
                        below = (position, item)
                elif above is None or position < above[0]:
                    above = (position, item)
            return found + [near[1] for near in (below, above) if near is not None]

        self.all_items = matching
        try:
            return original(self, hash_key, range_comparison, range_objs, *args, **kwargs)
        finally:
            del self.all_items

    setattr(query, _PATCHED, True)
    return query
