"""What makes a set of conditions valid, beyond what the API document states: the rules the due
engine relies on (positive intervals, a warning lead shorter than its interval). Each is given
as (field path, reason), the path in the API's names ("distance.notify_before_km").
"""

import math
from collections.abc import Sequence

from shared.domain.calendar import check_date_condition
from shared.domain.due import Condition, DateCondition, MeterCondition, Occurrence, kind_of

# API field names of a meter condition's limit, lead and repeat, for the paths of check_conditions.
_METER_FIELDS = {
    "distance": ("limit_km", "notify_before_km", "repeat_km"),
    "hours": ("limit_h", "notify_before_h", "repeat_h"),
}


def _positive(value: float) -> bool:
    return math.isfinite(value) and value > 0


def _check_meter(condition: MeterCondition) -> list[tuple[str, str]]:
    kind = condition.kind
    limit, lead, repeat = _METER_FIELDS[kind]
    issues = []
    if not _positive(condition.limit):
        issues.append((f"{kind}.{limit}", "must be greater than 0"))
    before = condition.notify_before
    if before is not None and not (
        before >= 0 and (before < condition.limit or not _positive(condition.limit))
    ):
        issues.append((f"{kind}.{lead}", f"must be at least 0 and less than {limit}"))
    if before is not None and condition.notify_at_percent is not None:
        issues.append((f"{kind}.notify_at_percent", f"give {lead} or notify_at_percent, not both"))
    if condition.repeat is not None and not _positive(condition.repeat):
        issues.append((f"{kind}.{repeat}", "must be greater than 0"))
    return issues


def check_conditions(conditions: Sequence[Condition]) -> list[tuple[str, str]]:
    """Every rule the conditions break, as (field path, reason); [] when they are valid.

    Paths use the API's names, "<kind>.<field>" (e.g. "distance.notify_before_km"); a rule about
    a whole condition has the path "<kind>", one about the whole set the empty path "".
    """
    if not conditions:
        return [("", "give at least one condition: distance, hours or date")]
    issues: list[tuple[str, str]] = []
    kinds = [kind_of(condition) for condition in conditions]
    for kind in sorted({kind for kind in kinds if kinds.count(kind) > 1}):
        issues.append((kind, f"at most one {kind} condition"))
    for condition in conditions:
        percent = condition.notify_at_percent
        if percent is not None and not 0 < percent <= 100:
            issues.append((f"{kind_of(condition)}.notify_at_percent", "must be more than 0 and at most 100"))
        issues += (
            _check_meter(condition)
            if isinstance(condition, MeterCondition)
            else check_date_condition(condition)
        )
    return issues


def check_first_span(conditions: Sequence[Condition], occurrence: Occurrence) -> list[tuple[str, str]]:
    """A date condition's lead must be shorter than its first span (start date to due date), as a
    km or hours lead must be shorter than its limit. Checked once the start is known."""
    issues = []
    start = occurrence.first_start_date
    for condition in conditions:
        lead = condition.notify_before_days if isinstance(condition, DateCondition) else None
        if lead is None or occurrence.due_date is None or start is None:
            continue
        span = (occurrence.due_date - start).days
        if span > 0 and lead >= span:
            issues.append(
                (
                    "date.notify_before_days",
                    f"must be less than the {span} days from the start to the due date",
                )
            )
    return issues
