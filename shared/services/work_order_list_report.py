"""The work-order report: the orders a list query selects, as a PDF, xlsx or csv file.

Orders are collected through ``work_order_queries.list_orders`` with the filters and sort of
``GET /work-orders``, so a report is exactly that list as a file (another account's orders never).

How much it reads. A report has at most ``MAX_ORDERS`` orders. Each list call asks for the orders
still missing up to one more than that (``MAX_ORDERS + 1`` in all), so the 5,001st order found
says "too large" and the key range is read no further: at most 5,001 orders are kept and about as
many matching items read (a list page reads one item past what it returns). A filter the list
cannot read by key (``q``, ``priority``, ``type``, a date without its sort...) examines items it
then drops; a list call returns after about 2,000 of those with a cursor, and a report makes at
most ``MAX_CALLS`` such calls (some 30,000 orders examined) before it asks, with the same 422
``report_too_large``, for a filter the list reads directly.
"""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from shared.data import settings_repo
from shared.faults import Invalid, invalid
from shared.models.reports import OrderReportQuery
from shared.models.settings import minor_unit
from shared.models.work_orders import OrderListQuery, WorkOrder
from shared.reports import render
from shared.reports.document import MEDIA_TYPES, CellValue, Column, Group, Report, ReportFile
from shared.services import work_order_state as state
from shared.services.order_types import list_types
from shared.services.work_order_queries import list_orders

MAX_ORDERS = 5_000
MAX_CALLS = 15
TITLE = "Work orders"
# The media types the report route may answer with (one per file format).
REPORT_MEDIA_TYPES = tuple(MEDIA_TYPES.values())
NARROW = (
    "narrow it, e.g. with state, status, assignee, asset_id, site_id, customer_number, or "
    "planned_from/planned_to with sort=planned (closed_from/closed_to with sort=closed)"
)
_FILTERS = frozenset(OrderReportQuery.model_fields) - {"format", "sort"}


def columns(decimals: int) -> tuple[Column, ...]:
    """The same columns in every format; ids and keys only where a program reads them (xlsx, csv),
    and the PDF (landscape A4) leaves out the state, the actual start and the close time."""
    return (
        Column("Number", width_chars=11, pdf_width_mm=19),
        Column("Work order ID", width_chars=31),
        Column("Title", width_chars=36, pdf_width_mm=29),
        Column("Type", width_chars=16, pdf_width_mm=19),
        Column("Type key", width_chars=16),
        Column("Status", width_chars=16, pdf_width_mm=25),
        Column("Status key", width_chars=16),
        Column("State", width_chars=8),
        Column("Priority", width_chars=9, pdf_width_mm=12),
        Column("Customer", width_chars=24, pdf_width_mm=25),
        Column("Customer number", width_chars=16),
        Column("Site", width_chars=24, pdf_width_mm=19),
        Column("Planned start", "datetime", width_chars=17, pdf_width_mm=25),
        Column("Actual start", "datetime", width_chars=17),
        Column("Actual end", "datetime", width_chars=17, pdf_width_mm=25),
        Column("Closed at", "datetime", width_chars=17),
        Column("Outcome", width_chars=11, pdf_width_mm=16),
        Column("Net", "number", decimals=decimals, width_chars=12, pdf_width_mm=17),
        Column("Tax", "number", decimals=decimals, width_chars=11, pdf_width_mm=14),
        Column("Gross", "number", decimals=decimals, width_chars=12, pdf_width_mm=17),
        Column("Currency", width_chars=9, pdf_width_mm=15),
    )


def _too_large(why: str) -> Invalid:
    return invalid("query", f"{why}; {NARROW}", code="report_too_large")


def collect_orders(account_id: str, query: OrderReportQuery) -> list[WorkOrder]:
    """Every order the report's filters select, in the list's order; 422 past ``MAX_ORDERS``."""
    wanted = query.model_dump(exclude={"format"}, exclude_none=True)
    # model_copy does not validate: the API's limit of 200 per page is for clients, not for us.
    page_query = OrderListQuery.model_validate(wanted).model_copy(update={"limit": MAX_ORDERS + 1})
    orders: list[WorkOrder] = []
    for _ in range(MAX_CALLS):
        page = list_orders(account_id, page_query)
        orders.extend(page.items)
        if len(orders) > MAX_ORDERS:
            raise _too_large(f"The report would have more than {MAX_ORDERS} work orders")
        if page.next is None:
            return orders
        page_query = page_query.model_copy(update={"next": page.next, "limit": MAX_ORDERS + 1 - len(orders)})
    raise _too_large("The report's filters leave too many work orders to look through")


def _local(value: datetime | None, tz: tzinfo) -> datetime | None:
    return value.astimezone(tz) if value else None


def _row(
    order: WorkOrder, names: dict[str, dict[str, str]], currency: str | None, tz: tzinfo
) -> tuple[CellValue, ...]:
    customer = order.customer or {}
    closed, totals = order.closed, order.totals
    return (
        order.display_number,
        order.id,
        order.title,
        names["type"].get(order.type, order.type),
        order.type,
        names["status"].get(order.status, order.status),
        order.status,
        order.state,
        order.priority,
        customer.get("name") or customer.get("number"),
        customer.get("number"),
        order.site.name if order.site else None,
        _local(order.planned_start, tz),
        _local(order.actual_start, tz),
        _local(order.actual_end, tz),
        _local(closed.at, tz) if closed else None,
        closed.outcome if closed else None,
        totals.net,
        totals.tax,
        totals.gross,
        totals.currency or currency,
    )


def _count(number: int) -> str:
    return "1 work order" if number == 1 else f"{number} work orders"


def _describe(query: OrderReportQuery, count: int, generated: datetime, zone: str) -> str:
    parts = [f"Generated {generated:%Y-%m-%d %H:%M} ({zone})", _count(count), f"sorted by {query.sort}"]
    for name, value in query.model_dump(include=set(_FILTERS), exclude_none=True).items():
        parts.append(f"{name}={value.isoformat() if isinstance(value, datetime) else value}")
    return " | ".join(parts)


def orders_report(account_id: str, query: OrderReportQuery, now: datetime) -> ReportFile:
    orders = collect_orders(account_id, query)
    settings = settings_repo.get_settings(account_id)
    tz = ZoneInfo(settings.time_zone)
    names = {
        "status": {status.key: status.name for status in state.statuses(account_id)},
        "type": {kind.key: kind.name for kind in list_types(account_id).items},
    }
    currencies = {order.totals.currency or settings.currency for order in orders} or {settings.currency}
    decimals = max(minor_unit(currency) for currency in currencies)
    generated = now.astimezone(tz)
    report = Report(
        title=TITLE,
        subtitle=_describe(query, len(orders), generated, settings.time_zone),
        columns=columns(decimals),
        groups=[Group(None, [_row(order, names, settings.currency, tz) for order in orders])],
        file_stem=f"work-orders-{generated:%Y-%m-%d}",
    )
    return render(report, query.format)
