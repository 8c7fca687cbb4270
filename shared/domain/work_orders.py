"""Work orders' pure rules (issue 14): the workflow of statuses, order numbers, and the money of an
order's lines.

**Workflow.** An account's statuses have a position and a category. Open statuses move by their
``transitions``; when an account names none, a status may move to any later open status or back
to the one just before it (new -> scheduled -> in_progress -> on_hold, as seeded). Closed
statuses are reached only by closing the order, never by a status move. A move that names the
status it expects to leave (``from``) is refused when the order has moved meanwhile.

**Money.** Each line's net is its quantity times its unit price, rounded half-up to the
currency's minor unit; returned parts count negative. Tax is worked out per line on the rounded
net, rounded the same way; the order's totals are sums of rounded line amounts, per kind and
overall, so the lines always add up to the totals shown.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Category = Literal["open", "closed"]
LineKind = Literal["part", "part_returned", "labour", "travel", "other"]
LINE_KINDS: tuple[LineKind, ...] = ("part", "part_returned", "labour", "travel", "other")
NEGATIVE_KINDS = frozenset({"part_returned"})
NUMBER_PREFIX = "WO-"
NUMBER_DIGITS = 6


@dataclass(frozen=True)
class OrderStatus:
    key: str
    name: str
    position: int
    category: Category = "open"
    starts_work: bool = False  # moving into it records the actual start, if none is given
    transitions: tuple[str, ...] | None = None  # None: any later open status, or one step back


SEEDED_STATUSES: tuple[OrderStatus, ...] = (
    OrderStatus("new", "New", 10),
    OrderStatus("scheduled", "Scheduled", 20),
    OrderStatus("in_progress", "In progress", 30, starts_work=True),
    OrderStatus("on_hold", "On hold", 40),
    OrderStatus("closed_complete", "Closed complete", 90, "closed"),
    OrderStatus("closed_incomplete", "Closed incomplete", 91, "closed"),
)


def allowed_moves(statuses: Sequence[OrderStatus], current: str) -> tuple[str, ...]:
    """The statuses an order in ``current`` may move to by a status change, in position order."""
    by_key = {status.key: status for status in statuses}
    here = by_key.get(current)
    if here is None or here.category == "closed":
        return ()
    open_ones = sorted((s for s in statuses if s.category == "open"), key=lambda s: s.position)
    if here.transitions is not None:
        named = set(here.transitions)
        return tuple(s.key for s in open_ones if s.key in named and s.key != current)
    index = next(i for i, s in enumerate(open_ones) if s.key == current)
    later = [s.key for s in open_ones[index + 1 :]]
    back = [open_ones[index - 1].key] if index > 0 else []
    return tuple(back + later)


MoveRefusal = Literal["unknown_status", "status_changed", "invalid_transition", "order_closed"]


def refuse_move(
    statuses: Sequence[OrderStatus], current: str, target: str, expected_from: str | None = None
) -> MoveRefusal | None:
    """Why an order in ``current`` may not move to ``target`` (None: it may). ``expected_from`` is
    the status the client saw; a different current status means someone moved it meanwhile."""
    by_key = {status.key: status for status in statuses}
    if target not in by_key:
        return "unknown_status"
    if expected_from is not None and expected_from != current:
        return "status_changed"
    if current in by_key and by_key[current].category == "closed":
        return "order_closed"
    if target not in allowed_moves(statuses, current):
        return "invalid_transition"
    return None


def order_number(sequence: int) -> str:
    """An order's number as shown: ``WO-000042`` (more digits once past a million)."""
    return f"{NUMBER_PREFIX}{sequence:0{NUMBER_DIGITS}d}"


def sequence_of(number: str) -> int | None:
    """The sequence behind a shown number (``WO-000042``, ``wo-42`` or ``42``); None if it is none."""
    text = number.strip().upper().removeprefix(NUMBER_PREFIX)
    return int(text) if text.isdigit() and len(text) <= 12 else None


@dataclass(frozen=True)
class Line:
    kind: LineKind
    quantity: Decimal  # hours for labour
    unit_price: Decimal
    tax_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    tax: Decimal
    gross: Decimal

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(self.net + other.net, self.tax + other.tax, self.gross + other.gross)


def _zero(decimals: int) -> Amounts:
    nothing = _rounded(Decimal(0), decimals)
    return Amounts(nothing, nothing, nothing)


def _rounded(amount: Decimal, decimals: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def line_amounts(line: Line, decimals: int) -> Amounts:
    """A line's net, tax and gross in a currency of ``decimals`` minor digits."""
    net = _rounded(line.quantity * line.unit_price, decimals)
    if line.kind in NEGATIVE_KINDS:
        net = -abs(net)
    tax = _rounded(net * line.tax_percent / 100, decimals)
    return Amounts(net, tax, net + tax)


@dataclass(frozen=True)
class Totals:
    by_kind: dict[LineKind, Amounts]
    total: Amounts


def totals(lines: Iterable[Line], decimals: int) -> Totals:
    """An order's totals: per kind (every kind, zero when it has no line) and overall."""
    by_kind = {kind: _zero(decimals) for kind in LINE_KINDS}
    for line in lines:
        by_kind[line.kind] = by_kind[line.kind] + line_amounts(line, decimals)
    total = _zero(decimals)
    for amounts in by_kind.values():
        total = total + amounts
    return Totals(by_kind, total)
