"""The service-task report: the tasks a list query finds, ordered, grouped and written as a file.

Tasks are collected through ``task_queries.list_tasks`` in due order, so the report shows
exactly what ``GET /tasks`` shows for the same filters (status and wear right for now, another
account's tasks never). Ordering and grouping then happen in memory, which is why a report is
capped: past ``MAX_TASKS`` the client is asked to narrow it rather than wait for a function
timeout.
"""

from datetime import datetime, tzinfo
from functools import partial
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import assets_repo, settings_repo
from shared.faults import invalid
from shared.models.reports import TASK_FILTERS, TaskReportQuery
from shared.models.tasks import Task, TaskListQuery
from shared.reports import render
from shared.reports.document import MEDIA_TYPES, CellValue, Column, Group, Report, ReportFile
from shared.services.task_queries import STATUS_ORDER, list_tasks

MAX_TASKS = 5_000
# One list call normally takes the whole report, and one more task than the cap says it is too
# big. Pages of 200 would cost a full read each: outside the due-work index, list_tasks reads and
# evaluates every candidate on every call (it sorts after evaluating), so paging through 5,000
# tasks would read them 25 times. The loop still follows ``next`` where a list hands one back
# (bounded reads of the due-work index).
PAGE_SIZE = MAX_TASKS + 1
TITLE = "Service tasks"
# The media types the report route may answer with (one per file format).
REPORT_MEDIA_TYPES = tuple(MEDIA_TYPES.values())
# The same columns in every format; ids only where a program reads them (xlsx, csv).
COLUMNS = (
    Column("Asset", width_chars=24, pdf_width_mm=40),
    Column("Asset ID", width_chars=31),
    Column("Task", width_chars=36, pdf_width_mm=57),
    Column("Task ID", width_chars=57),
    Column("Status", width_chars=10, pdf_width_mm=18),
    Column("Due km", "number", width_chars=11, pdf_width_mm=20),
    Column("Due h", "number", decimals=1, width_chars=9, pdf_width_mm=16),
    Column("Due date", "date", width_chars=12, pdf_width_mm=21),
    Column("Predicted due", "date", width_chars=14, pdf_width_mm=21),
    Column("Wear %", "number", decimals=1, width_chars=8, pdf_width_mm=14),
    Column("Cost", "number", decimals=2, width_chars=12, pdf_width_mm=20),
    Column("Currency", width_chars=9, pdf_width_mm=16),
    Column("Repeat", "yes_no", width_chars=8, pdf_width_mm=13),
    Column("Last done", "date", width_chars=12, pdf_width_mm=21),
)


def collect_tasks(account_id: str, query: TaskReportQuery, now: datetime) -> list[Task]:
    """Every task the report's filters match, in due order (``-due``: latest first)."""
    filters = query.model_dump(include=set(TASK_FILTERS), exclude_none=True)
    order = "-due" if query.sort == "-due" else "due"
    # model_copy does not validate: the API's limit of 200 per page is for clients, not for us.
    page_query = TaskListQuery.model_validate({**filters, "sort": order}).model_copy(
        update={"limit": PAGE_SIZE}
    )
    tasks: list[Task] = []
    while True:
        page = list_tasks(account_id, page_query, now)
        tasks.extend(page.items)
        if len(tasks) > MAX_TASKS:
            raise invalid(
                "query",
                f"The report would have more than {MAX_TASKS} tasks; narrow it, e.g. with asset_id, "
                "status or due_before",
                code="report_too_large",
            )
        if page.next is None:
            return tasks
        page_query = page_query.model_copy(update={"next": page.next})


def _sort_value(task: Task, key: str, asset_names: dict[str, str]) -> Any:
    """What ``key`` orders by; None when the task has no such value (those rows come last)."""
    if key == "asset":
        return (asset_names[task.asset_id].casefold(), task.asset_id)
    if key == "name":
        return task.name.casefold()
    if key == "status":
        return STATUS_ORDER[task.status]
    return task.cost.amount if task.cost is not None else None


def order_tasks(tasks: list[Task], sort: str, asset_names: dict[str, str]) -> list[Task]:
    """``tasks`` (in due order) sorted by ``sort``; ties keep due order, which ends in task id."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if key == "due":
        return tasks  # collected in this order, the order GET /tasks has
    keyed = [(_sort_value(task, key, asset_names), task) for task in tasks]
    with_value = [(value, task) for value, task in keyed if value is not None]
    # A stable sort, also when reversed: equal values keep the order they came in.
    with_value.sort(key=lambda pair: pair[0], reverse=descending)
    return [task for _, task in with_value] + [task for value, task in keyed if value is None]


def _count(number: int) -> str:
    return "1 task" if number == 1 else f"{number} tasks"


def _group_key(task: Task, *, group_by: str, asset_names: dict[str, str]) -> Any:
    if group_by == "status":
        return STATUS_ORDER[task.status]
    return (asset_names[task.asset_id].casefold(), task.asset_id)


def _heading(task: Task, group_by: str, asset_names: dict[str, str], count: int) -> str:
    label = task.status if group_by == "status" else f"{asset_names[task.asset_id]} ({task.asset_id})"
    return f"{label} - {_count(count)}"


def group_tasks(
    tasks: list[Task], group_by: str | None, sort: str, asset_names: dict[str, str]
) -> list[tuple[str | None, list[Task]]]:
    """Headed groups, overdue first or by asset name (``-status``/``-asset`` reverse them);
    the rows keep their order inside each group."""
    if group_by is None:
        return [(None, tasks)]
    rank = partial(_group_key, group_by=group_by, asset_names=asset_names)
    ordered = sorted(tasks, key=rank, reverse=sort == f"-{group_by}")
    groups: list[tuple[str | None, list[Task]]] = []
    for _, members in groupby(ordered, key=rank):
        rows = list(members)
        groups.append((_heading(rows[0], group_by, asset_names, len(rows)), rows))
    return groups


def _row(task: Task, asset_names: dict[str, str], currency: str | None, tz: tzinfo) -> tuple[CellValue, ...]:
    predicted = task.predicted_due_at.astimezone(tz).date() if task.predicted_due_at else None
    completed = task.completed_at.astimezone(tz).date() if task.completed_at else None
    cost = task.cost
    return (
        asset_names[task.asset_id],
        task.asset_id,
        task.name,
        task.id,
        task.status,
        task.due.odometer_km,
        task.due.hours,
        task.due.date,
        predicted,
        task.wear_percent,
        cost.amount if cost else None,
        (cost.currency or currency) if cost else None,
        task.repeat,
        completed,
    )


def _describe(query: TaskReportQuery, count: int, generated: datetime, zone: str) -> str:
    parts = [f"Generated {generated:%Y-%m-%d %H:%M} ({zone})", _count(count), f"sorted by {query.sort}"]
    if query.group_by:
        parts.append(f"grouped by {query.group_by}")
    for name, value in query.model_dump(include=set(TASK_FILTERS), exclude_none=True).items():
        shown = ",".join(value) if isinstance(value, list) else value
        parts.append(f"{name}={shown.isoformat() if isinstance(shown, datetime) else shown}")
    return " | ".join(parts)


def task_report(account_id: str, query: TaskReportQuery, now: datetime) -> ReportFile:
    tasks = collect_tasks(account_id, query, now)
    settings = settings_repo.get_settings(account_id)
    tz = ZoneInfo(settings.time_zone)
    stored = assets_repo.get_asset_items(account_id, [task.asset_id for task in tasks], consistent=False)
    asset_names = {
        task.asset_id: str(stored.get(task.asset_id, {}).get("name") or task.asset_id) for task in tasks
    }
    ordered = order_tasks(tasks, query.sort, asset_names)
    groups = [
        Group(heading, [_row(task, asset_names, settings.currency, tz) for task in members])
        for heading, members in group_tasks(ordered, query.group_by, query.sort, asset_names)
    ]
    generated = now.astimezone(tz)
    report = Report(
        title=TITLE,
        subtitle=_describe(query, len(tasks), generated, settings.time_zone),
        columns=COLUMNS,
        groups=groups,
        file_stem=f"service-tasks-{generated:%Y-%m-%d}",
    )
    return render(report, query.format)
