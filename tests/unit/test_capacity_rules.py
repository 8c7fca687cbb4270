"""The capacity rules `make bench` prices DynamoDB calls with, checked against the examples of the
DynamoDB developer guide ("Item sizes and formats", "Read/write capacity", "Global secondary
indexes: writes", "Transactions: capacity")."""

from bench.capacity import (
    TABLE,
    Index,
    TableShape,
    index_write_units,
    item_size,
    number_size,
    read_units,
    value_size,
    write_charges,
    write_units,
)

KB = 1024
KEYS = ("PK", "SK")


def s(text: str) -> dict:
    return {"S": text}


def padded(size: int, **attributes: dict) -> dict:
    """An item of exactly ``size`` bytes: the given attributes and a string ``pad`` filling the rest."""
    item = {"PK": s("p"), "SK": s("s"), **attributes}
    item["pad"] = s("")
    item["pad"] = s("x" * (size - item_size(item)))
    assert item_size(item) == size
    return item


def test_string_and_binary_sizes_are_their_bytes_plus_the_name() -> None:
    assert item_size({"name": s("Pat")}) == 4 + 3
    assert item_size({"name": s("Zoë")}) == 4 + 4  # UTF-8: ë takes two bytes
    assert item_size({"blob": {"B": b"\x00\x01\x02"}}) == 4 + 3  # raw bytes, not base64


def test_numbers_take_one_byte_per_two_significant_digits_plus_one() -> None:
    assert number_size("7") == 2
    assert number_size("123.45") == 4  # five significant digits: 3 + 1
    assert number_size("0.00012") == 2  # leading zeros are trimmed
    assert number_size("1200000") == 2  # and trailing ones
    assert number_size("-42") == 2
    assert number_size("0") == 2


def test_booleans_nulls_lists_maps_and_sets() -> None:
    assert value_size({"BOOL": True}) == 1
    assert value_size({"NULL": True}) == 1
    assert value_size({"L": []}) == 3  # an empty list or map still has its 3 bytes
    assert value_size({"M": {}}) == 3
    assert value_size({"L": [s("ab"), {"N": "1"}]}) == 3 + (1 + 2) + (1 + 2)
    assert value_size({"M": {"km": {"N": "12"}}}) == 3 + (2 + 1 + 2)
    assert value_size({"SS": ["a", "bc"]}) == 3


def test_reads_round_up_to_4_kb_per_item_and_half_when_eventually_consistent() -> None:
    # "If you read an item of 3.5 KB, DynamoDB rounds the item size to 4 KB; of 10 KB, to 12 KB."
    assert read_units(int(3.5 * KB)) == 1
    assert read_units(10 * KB) == 3
    assert read_units(int(3.5 * KB), consistent=False) == 0.5
    assert read_units(0) == 1  # a read that finds nothing still costs one unit
    # BatchGetItem of a 1.5 KB and a 6.5 KB item: 4 KB + 8 KB, not 8 KB: 3 units.
    assert read_units(int(1.5 * KB)) + read_units(int(6.5 * KB)) == 3
    # A Query returning 10 items of 40.8 KB in all is rounded once, to 44 KB: 11 units.
    assert read_units(int(40.8 * KB)) == 11


def test_writes_round_up_to_1_kb_and_take_the_larger_image() -> None:
    shape = TableShape(KEYS, ())
    assert write_units(500) == 1
    assert write_units(int(1.5 * KB)) == 2
    small, large = padded(200), padded(int(2.5 * KB))
    assert write_charges(shape, None, large) == {TABLE: 3}  # a new 2.5 KB item
    # An update that shrinks an item is still priced on the item before it.
    assert write_charges(shape, large, small) == {TABLE: 3}
    assert write_charges(shape, large, None) == {TABLE: 3}  # a delete: the item deleted
    # A refused conditional write is priced on the item it found, at least one unit.
    assert write_charges(shape, large, None, refused=True) == {TABLE: 3}
    assert write_charges(shape, None, None, refused=True) == {TABLE: 1}


def test_a_transaction_costs_twice_on_the_table_but_not_on_its_indexes() -> None:
    shape = TableShape(KEYS, (Index("GSI", "GK", None),))
    item = padded(500, GK=s("g"))
    # Three 500-byte items in one TransactWriteItems: 3 x 2 = 6 units on the table.
    charges = [write_charges(shape, None, item, transaction=True) for _ in range(3)]
    assert sum(c[TABLE] for c in charges) == 6
    assert sum(c["GSI"] for c in charges) == 3


def test_an_index_write_happens_only_when_its_entry_changes() -> None:
    include = Index("GSI", "GK", "GS", frozenset({"kept"}))
    keys_only = Index("GSI", "GK", "GS", frozenset())
    everything = Index("GSI", "GK", "GS")
    base = {"PK": s("p"), "SK": s("s"), "GK": s("g"), "GS": s("1"), "kept": s("a"), "other": s("b")}
    other_changed = {**base, "other": s("c")}
    kept_changed = {**base, "kept": s("z")}
    moved = {**base, "GS": s("2")}
    outside = {k: v for k, v in base.items() if k != "GK"}  # sparse: no key, not in the index
    for index in (include, keys_only, everything):
        # "If an item is not in the index before or after the update, no additional cost."
        assert index_write_units(index, outside, outside, KEYS) == 0
        # A new item that defines the index keys: one write to put it into the index.
        assert index_write_units(index, None, base, KEYS) == 1
        # "An update that changes an indexed key (A to B): two writes", a delete and a put.
        assert index_write_units(index, base, moved, KEYS) == 2
        # Removing the key attribute: one write to delete the entry. A delete of the item: the same.
        assert index_write_units(index, base, outside, KEYS) == 1
        assert index_write_units(index, base, None, KEYS) == 1
    # Changing an attribute the index projects: one write. One it does not project: none.
    assert index_write_units(include, base, kept_changed, KEYS) == 1
    assert index_write_units(include, base, other_changed, KEYS) == 0
    assert index_write_units(keys_only, base, kept_changed, KEYS) == 0
    assert index_write_units(everything, base, other_changed, KEYS) == 1


def test_index_writes_are_sized_on_the_projected_entry() -> None:
    include = Index("GSI", "GK", None, frozenset({"kept"}))
    everything = Index("GSI", "GK", None)
    big = padded(3000, GK=s("g"), kept=s("k"))
    assert write_charges(TableShape(KEYS, (include,)), None, big) == {TABLE: 3, "GSI": 1}
    assert write_charges(TableShape(KEYS, (everything,)), None, big) == {TABLE: 3, "GSI": 3}
    # A moved entry is a delete and a put, each rounded on its own image: 1.5 KB each way is 4.
    old = padded(int(1.5 * KB), GK=s("a"))
    new = {**old, "GK": s("b")}
    assert index_write_units(everything, old, new, KEYS) == 4


def test_the_shape_is_read_from_the_table_description() -> None:
    shape = TableShape.from_description(
        {
            "KeySchema": [
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "A",
                    "KeySchema": [{"AttributeName": "AK", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
                },
                {
                    "IndexName": "B",
                    "KeySchema": [{"AttributeName": "BK", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                },
            ],
        }
    )
    assert shape.keys == KEYS
    assert shape.index("A") == Index("A", "AK", None, frozenset({"x"}))
    assert shape.index("B").projected == frozenset()
