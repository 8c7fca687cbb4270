"""The email for a transition: a one-line subject, a plain-text body and the same as HTML.

``email_message`` gives e.g. the subject ``Overdue: Oil change on Truck 12`` (at most 200
characters, never a line break whatever the names hold), a short paragraph, a line per fact
(condition, due, current, remaining), when it happened in the account's time zone, and the task
and asset ids. The HTML body is a minimal document with inline styles, no external resource and
no script, and every value in it is escaped (names are user input and may hold markup).
"""

from dataclasses import dataclass
from html import escape

from shared.notify.content import (
    FactView,
    Transition,
    account_zone,
    fact_view,
    fit_names,
    local_time,
    name,
    one_line,
)

SUBJECT_LIMIT = 200
_TITLES = {"upcoming": "Upcoming", "overdue": "Overdue"}
_ADVICE = {
    "upcoming": "It will be due soon: please plan the service.",
    "overdue": "It is due: please carry out the service and record its completion.",
}
_COLOURS = {"overdue": "#b3261e", "upcoming": "#8a5300"}
_PLAIN_COLOUR = "#444444"
_CELL = "padding:6px 10px;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top;"


@dataclass(frozen=True)
class Email:
    """A rendered email: ``subject`` is one line, ``text`` and ``html`` are the two bodies."""

    subject: str
    text: str
    html: str


def email_message(t: Transition) -> Email:
    """The email telling ``t``; names are shown on one line, dates in the account's zone."""
    zone, zone_name = account_zone(t.time_zone)
    task, asset = name(t.task_name), name(t.asset_name)
    title = _TITLES[t.status]
    views = [fact_view(fact, zone) for fact in t.facts]
    intro = _intro(t, task, asset)
    when = local_time(t.at, zone, zone_name)
    return Email(
        subject=_subject(title, task, asset),
        text=_text(t, f"{title}: {task} on {asset}", intro, views, when),
        html=_html(t, f"{title}: {task} on {asset}", intro, views, when),
    )


def _subject(title: str, task: str, asset: str) -> str:
    """``Overdue: Oil change on Truck 12``, the names shortened to fit ``SUBJECT_LIMIT``."""
    task, asset = fit_names(task, asset, SUBJECT_LIMIT - len(f"{title}:  on "))
    return f"{title}: {task} on {asset}"


def _intro(t: Transition, task: str, asset: str) -> str:
    """The paragraph that says what happened and what to do."""
    before = " (it was upcoming)" if t.previous == "upcoming" else ""
    return f'The service task "{task}" on "{asset}" is now {t.status}{before}. {_ADVICE[t.status]}'


def _fact_line(view: FactView) -> str:
    """``Distance (overdue): due 15,000 km, now 15,120 km, 120 km past due``."""
    parts = [f"due {view.due}", f"now {view.current}" if view.current else "no reading yet"]
    if view.remaining:
        parts.append(view.remaining)
    return f"{view.label} ({view.status}): {', '.join(parts)}"


def _text(t: Transition, heading: str, intro: str, views: list[FactView], when: str) -> str:
    """The plain-text body."""
    lines = [heading, "", intro, ""]
    if views:
        lines += [f"- {_fact_line(view)}" for view in views]
        lines.append("")
    lines += [f"When: {when}", f"Task ID: {one_line(t.task_id)}", f"Asset ID: {one_line(t.asset_id)}", ""]
    return "\n".join(lines)


def _cell(tag: str, value: str, style: str = "") -> str:
    return f'<{tag} style="{_CELL}{style}">{escape(value)}</{tag}>'


def _row(view: FactView) -> str:
    colour = _COLOURS.get(view.status, _PLAIN_COLOUR)
    cells = [
        _cell("td", view.label),
        _cell("td", view.status, f"color:{colour};font-weight:bold;"),
        _cell("td", view.due),
        _cell("td", view.current or "no reading yet"),
        _cell("td", view.remaining or "-"),
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _table(views: list[FactView]) -> str:
    if not views:
        return ""
    header = "".join(_cell("th", label) for label in ("Condition", "Status", "Due", "Current", "Remaining"))
    rows = "".join(_row(view) for view in views)
    return (
        '<table style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;">'
        f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _html(t: Transition, heading: str, intro: str, views: list[FactView], when: str) -> str:
    """The HTML body: the text body's content, every value escaped, styles inline."""
    colour = _COLOURS.get(t.status, _PLAIN_COLOUR)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(heading)}</title></head>\n"
        '<body style="margin:0;padding:24px;background:#f4f4f4;'
        'font-family:Arial,Helvetica,sans-serif;color:#222222;">\n'
        '<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff;'
        'overflow-wrap:anywhere;">\n'
        f'<h1 style="margin:0 0 16px;font-size:20px;color:{colour};">{escape(heading)}</h1>\n'
        f'<p style="margin:0 0 16px;font-size:15px;line-height:1.4;">{escape(intro)}</p>\n'
        f"{_table(views)}\n"
        f'<p style="margin:0 0 16px;font-size:14px;">When: {escape(when)}</p>\n'
        '<p style="margin:0;font-size:12px;color:#666666;">'
        f"Task ID: {escape(t.task_id)}<br>Asset ID: {escape(t.asset_id)}</p>\n"
        "</div>\n</body></html>\n"
    )
