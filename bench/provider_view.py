"""A provider's view of its customers' assets (issue 15): what a page costs as the customers grow.

A provider with 1,000 and with 20,000 granted assets of 20 customers; a tenth of them have a task
of the provider's in its warning range or overdue, most of the others planned tasks, some none.
The links are written as the product writes them (grants_repo.link_item with
provided_links.summary_fields) straight into the table: the bench measures the read, and 20,000
grants through the API would take the whole run. **Target: at most 51 items read for a page of
50** (``GET /provided-assets?service_status=upcoming,overdue&limit=50``, and the first page of
every asset), and every item on the due page due.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from bench.stack import InProcessClient, Stack, new_account
from bench.work_orders import QuickQueries, ReadCounter

SIZES = (1_000, 20_000)
CUSTOMERS = 20
DUE_SHARE = 0.1
MOST_ITEMS = 51
PAGES = {
    "needing service": "/provided-assets?service_status=upcoming,overdue&limit=50",
    "overdue": "/provided-assets?service_status=overdue&limit=50",
    "every asset": "/provided-assets?limit=50",
}


@dataclass
class PageCost:
    assets: int
    page: str
    items_read: int
    calls: int
    shown: int
    all_due: bool


def _seed(provider: str, size: int) -> None:
    from shared.clock import utc_now  # noqa: PLC0415
    from shared.data import grants_repo, provided_links  # noqa: PLC0415
    from shared.data.dynamo import put_all  # noqa: PLC0415
    from shared.domain.service_status import ProvidedSummary  # noqa: PLC0415
    from shared.ids import new_id  # noqa: PLC0415

    now, draw = utc_now(), random.Random(size)
    customers = [new_account(f"customer-{n}") for n in range(CUSTOMERS)]
    items = []
    for n in range(size):
        asset_id = new_id("ast")
        owner = customers[n % CUSTOMERS]
        fields = {"name": f"Machine {n}", "granted_at": "2026-01-01T00:00:00.000000Z", "version": 1}
        link = grants_repo.link_item(owner, asset_id, provider, fields)
        if n % int(1 / DUE_SHARE) == 0:  # in its warning range, half of them overdue
            warn = now - timedelta(days=draw.randint(1, 60))
            due = warn + timedelta(days=30) if n % 2 else now - timedelta(hours=1)
            summary = ProvidedSummary(1, warn, due, ("pln_bench",))
        elif n % 7 == 0:
            summary = None  # granted, no task of the provider's
        else:
            ahead = now + timedelta(days=draw.randint(1, 365)) if n % 3 else None  # None: meters only
            summary = ProvidedSummary(1, ahead, None, ("pln_bench",))
        if summary is not None:
            link.update(provided_links.summary_fields(provider, asset_id, summary))
        items.append({name: value for name, value in link.items() if value is not None})
    put_all(items)


def measure(stack: Stack) -> list[PageCost]:
    from shared.data.dynamo import client  # noqa: PLC0415

    costs = []
    counter = ReadCounter(client)
    for size in SIZES:
        provider = new_account(f"provider-{size}")
        _seed(provider, size)
        api = InProcessClient(stack, provider)
        for label, path in PAGES.items():
            with QuickQueries(), counter.counting():
                page = api.request("GET", path).json()
            statuses = {entry["service"]["status"] for entry in page["items"]}
            due = statuses <= {"upcoming", "overdue"} if "upcoming" in path else True
            if path.endswith("overdue&limit=50"):
                due = statuses <= {"overdue"}
            costs.append(PageCost(size, label, counter.items, len(counter.calls), len(page["items"]), due))
    return costs
