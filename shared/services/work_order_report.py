"""One work order as the PDF a workshop hands to its customer.

It has what the order says (number, title, type and status by their names, priority, customer,
site, depot, assignees, planned and actual times, the close), its assets, the service tasks it
covers with what became of them, its lines with the totals per kind and overall in the order's
currency, and the notes written for the customer. Internal notes never appear: they are dropped
here, as read, before anything is laid out. Times are in the account's time zone.

Reads: the order (404 for an id that is none of this account's), its lines and notes (the order's
own partition), the account's statuses and settings, and its type.
"""

from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import settings_repo
from shared.domain.work_orders import LINE_KINDS
from shared.models.settings import minor_unit
from shared.models.work_order_lines import Line, LineQuery, Note, NoteQuery
from shared.models.work_orders import SiteCopy, WorkOrder
from shared.reports import render_form
from shared.reports.document import MEDIA_TYPES, CellValue, Column, Fact, Form, ReportFile, Section, Text
from shared.services import work_order_state as state
from shared.services.work_order_catalogue import find_type
from shared.services.work_order_lines import list_lines
from shared.services.work_order_notes import list_notes

MEDIA_TYPE = MEDIA_TYPES["pdf"]  # the one file it is
KIND_NAMES = {
    "part": "Part",
    "part_returned": "Part returned",
    "labour": "Labour",
    "travel": "Travel",
    "other": "Other",
}
RESULT_NAMES = {
    "open": "Open",
    "completed": "Done",
    "skipped": "Done elsewhere",
    "released": "Not done",
}
OUTCOME_NAMES = {"complete": "Complete", "incomplete": "Incomplete"}
_NOTES_PAGE = 200


def _lines(account_id: str, order_id: str) -> list[Line]:
    lines: list[Line] = []
    query = LineQuery()
    while True:
        page = list_lines(account_id, order_id, query)
        lines.extend(page.items)
        if page.next is None:
            return lines
        query = LineQuery(next=page.next)


def customer_notes(account_id: str, order_id: str) -> list[Note]:
    """The order's notes for the customer, oldest first; internal ones are left behind here."""
    notes: list[Note] = []
    query = NoteQuery(limit=_NOTES_PAGE)
    while True:
        page = list_notes(account_id, order_id, query)
        notes.extend(note for note in page.items if note.visibility == "customer")
        if page.next is None:
            return notes
        query = NoteQuery(limit=_NOTES_PAGE, next=page.next)


def _when(value: datetime | None, tz: tzinfo) -> str:
    return f"{value.astimezone(tz):%Y-%m-%d %H:%M}" if value else ""


def _span(start: datetime | None, end: datetime | None, tz: tzinfo) -> str:
    if start is None or end is None:
        return f"from {_when(start, tz)}" if start else (f"until {_when(end, tz)}" if end else "")
    return f"{_when(start, tz)} - {_when(end, tz)}"


def _customer(customer: dict[str, str] | None) -> str:
    if not customer:
        return ""
    number = customer.get("number")
    parts = [
        customer.get("name"),
        f"No. {number}" if number else None,
        customer.get("email"),
        customer.get("phone"),
    ]
    return "\n".join(part for part in parts if part)


def _place(site: SiteCopy | None) -> str:
    if site is None:
        return ""
    address = site.address or {}
    town = " ".join(part for part in (address.get("postal_code"), address.get("city")) if part)
    lines = [
        site.name + (f" ({site.number})" if site.number else ""),
        *(address.get(f"line{n}") for n in range(1, 5)),
        town,
        address.get("region"),
        address.get("country"),
    ]
    return "\n".join(line for line in lines if line)


def _assignees(order: WorkOrder) -> str:
    people = []
    for person in order.assignees:
        name = str(person.get("name") or person.get("id"))
        people.append(f"{name} (lead)" if person.get("primary") and len(order.assignees) > 1 else name)
    return ", ".join(people)


def _closed(order: WorkOrder, tz: tzinfo) -> str:
    closed = order.closed
    if closed is None:
        return ""
    reason = f", {closed.reason_code}" if closed.reason_code else ""
    return f"{OUTCOME_NAMES[closed.outcome]}{reason}, {_when(closed.at, tz)}"


def _facts(order: WorkOrder, names: dict[str, str], tz: tzinfo) -> list[Fact]:
    facts = [
        Fact("Type", names["type"]),
        Fact("Status", names["status"]),
        Fact("Priority", order.priority.capitalize()),
        Fact("Created", _when(order.created_at, tz)),
        Fact("Customer", _customer(order.customer)),
        Fact("Site", _place(order.site)),
        Fact("Depot", _place(order.depot)),
        Fact("Assignees", _assignees(order)),
        Fact("Planned", _span(order.planned_start, order.planned_end, tz)),
        Fact("Actual", _span(order.actual_start, order.actual_end, tz)),
    ]
    if order.closed is not None:
        facts.append(Fact("Closed", _closed(order, tz)))
    if order.service_codes:
        facts.append(Fact("Service codes", ", ".join(order.service_codes)))
    return facts


def _money_columns(decimals: int) -> tuple[Column, ...]:
    return (
        Column("Kind", pdf_width_mm=21),
        Column("Code", pdf_width_mm=22),
        Column("Description", pdf_width_mm=50),
        Column("Quantity", "number", decimals=2, pdf_width_mm=15),
        Column("Unit price", "number", decimals=decimals, pdf_width_mm=20),
        Column("Tax %", "number", decimals=2, pdf_width_mm=12),
        Column("Net", "number", decimals=decimals, pdf_width_mm=16),
        Column("Tax", "number", decimals=decimals, pdf_width_mm=16),
        Column("Gross", "number", decimals=decimals, pdf_width_mm=18),
    )


def _lines_section(order: WorkOrder, lines: list[Line], currency: str | None) -> Section:
    rows: list[tuple[CellValue, ...]] = [
        (
            KIND_NAMES[line.kind],
            line.code,
            line.description or line.rate_name,
            line.quantity,
            line.unit_price,
            line.tax_percent,
            line.net,
            line.tax,
            line.gross,
        )
        for line in lines
    ]
    totals = order.totals
    present = {line.kind for line in lines}  # the totals name every kind, most of them zero
    by_kind = [
        (kind, totals.by_kind[kind]) for kind in LINE_KINDS if kind in present and kind in totals.by_kind
    ]
    subtotal_rows: list[tuple[CellValue, ...]] = [
        (None, None, f"Subtotal {KIND_NAMES[kind].lower()}", None, None, None, sums.net, sums.tax, sums.gross)
        for kind, sums in by_kind
    ]
    label = f"Total {currency}" if currency else "Total"
    total_row = (None, None, label, None, None, None, totals.net, totals.tax, totals.gross)
    heading = f"Parts and labour ({currency})" if currency else "Parts and labour"
    return Section(
        heading,
        _money_columns(minor_unit(currency)),
        rows,
        totals=[*subtotal_rows, total_row] if lines else [],
        empty="No parts or labour recorded.",
    )


def _tasks_section(order: WorkOrder, asset_names: dict[str, str]) -> Section:
    columns = (
        Column("Service task", pdf_width_mm=80),
        Column("Asset", pdf_width_mm=60),
        Column("Occurrence", "number", pdf_width_mm=20),
        Column("Result", pdf_width_mm=30),
    )
    rows: list[tuple[CellValue, ...]] = [
        (
            task.name,
            asset_names.get(task.asset_id, task.asset_id),
            float(task.occurrence),
            RESULT_NAMES[task.result],
        )
        for task in order.tasks
    ]
    return Section("Service tasks", columns, rows, empty="No service tasks.")


def _assets_section(stored: dict[str, Any], asset_ids: list[str]) -> tuple[Section, dict[str, str]]:
    names = {str(asset["id"]): str(asset["name"]) for asset in stored.get("assets") or []}
    columns = (Column("Asset", pdf_width_mm=110), Column("Asset ID", pdf_width_mm=80))
    rows: list[tuple[CellValue, ...]] = [(names.get(asset_id, asset_id), asset_id) for asset_id in asset_ids]
    return Section("Assets", columns, rows, empty="No assets."), names


def _names(account_id: str, order: WorkOrder) -> dict[str, str]:
    status = state.status_of(state.statuses(account_id), order.status)
    kind, _ = find_type(account_id, order.type)
    return {"status": status.name if status else order.status, "type": kind.name if kind else order.type}


def order_report(account_id: str, order_id: str, now: datetime) -> ReportFile:
    stored = state.load(account_id, order_id)
    order = state.view(stored)
    lines = _lines(account_id, order_id)
    notes = customer_notes(account_id, order_id)
    settings = settings_repo.get_settings(account_id)
    tz = ZoneInfo(settings.time_zone)
    currency = order.totals.currency or settings.currency
    assets, asset_names = _assets_section(stored, order.asset_ids)
    sections = [
        assets,
        _tasks_section(order, asset_names),
        _lines_section(order, lines, currency),
        Section(
            "Notes",
            texts=[Text(_when(note.created_at, tz), note.text) for note in notes],
            empty="No notes.",
        ),
    ]
    if order.description:
        sections.insert(0, Section("Description", texts=[Text("", order.description)]))
    form = Form(
        title=f"Work order {order.display_number}",
        subtitle=order.title,
        facts=_facts(order, _names(account_id, order), tz),
        sections=sections,
        file_stem=f"work-order-{order.display_number}",
        footer=f"{order.display_number} - generated {_when(now, tz)} ({settings.time_zone})",
    )
    return render_form(form)
