"""What a provider does on an asset a customer granted it (docs/plans.md, "Providers"): read and
record its meter readings, and read the tasks of the plans it provides for on it. Each starts
from the provider's link (provided_access) and then works in the owner's partition exactly as
the owner's own routes do."""

from datetime import datetime

from shared.data import tasks_repo
from shared.models.readings import ReadingIn, ReadingListQuery, ReadingPage, ReadingResult
from shared.models.tasks import TaskPage
from shared.services.provided_access import customer_of, provides
from shared.services.readings import list_readings, record_reading
from shared.services.task_transactions import view


def record_provided_reading(provider: str, asset_id: str, body: ReadingIn, now: datetime) -> ReadingResult:
    return record_reading(customer_of(provider, asset_id), asset_id, body, now)


def list_provided_readings(provider: str, asset_id: str, query: ReadingListQuery) -> ReadingPage:
    return list_readings(customer_of(provider, asset_id), asset_id, query)


def list_provided_tasks(provider: str, asset_id: str, now: datetime) -> TaskPage:
    """The tasks of the plans the provider provides for on the asset (every one, open or done:
    a plan makes at most one task per planned service), by id."""
    owner = customer_of(provider, asset_id)
    context = tasks_repo.load(owner, asset_id)
    if context.asset is None:
        return TaskPage(items=[], next=None)
    tasks = [task for task in tasks_repo.asset_tasks(owner, asset_id) if provides(provider, task)]
    return TaskPage(items=[view(context, task, now) for task in tasks], next=None)
