"""Moving tasks whose warning instant has passed from the watch index into due work.

A date condition's warning instant passes without any write, so a task planned at its last
write can be upcoming now. Reads of due work first look for such tasks (one Query on GSI4,
normally empty), give them their due-work keys and write those back, so each is found by the
index from then on. The write is conditioned on the task's version and on the asset's meters
and tasks being as read: if anything moved meanwhile, the writer that moved it has set the keys.
"""

from datetime import datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import assets_repo, tasks_repo
from shared.services.task_index import index_fields


def promote(account_id: str, tz: ZoneInfo, now: datetime) -> list[dict[str, Any]]:
    """The tasks that entered their warning range since their last write, with new index keys."""
    passed = tasks_repo.watch_passed(account_id, now)
    if not passed:
        return []
    assets = assets_repo.get_asset_items(account_id, [task["asset_id"] for task in passed])
    promoted: list[dict[str, Any]] = []
    for asset_id, group in groupby(sorted(passed, key=lambda t: t["asset_id"]), key=lambda t: t["asset_id"]):
        asset = assets.get(asset_id)
        if asset is None:
            continue
        moved = [{**task, **index_fields(account_id, task, asset, tz, now)} for task in group]
        tasks_repo.move_index_keys(account_id, asset, moved)
        promoted += [task for task in moved if task["GSI3SK"] is not None]
    return promoted
