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

from botocore.exceptions import ClientError

from shared.data import assets_repo, tasks_repo
from shared.data.asset_state import asset_unchanged
from shared.data.dynamo import TRANSACTION_ITEMS, client, error_code
from shared.services.task_index import index_fields, stored_fields


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
        _write(account_id, asset, moved)
        promoted += [task for task in moved if task["GSI3SK"] is not None]
    return promoted


def _write(account_id: str, asset: dict[str, Any], tasks: list[dict[str, Any]]) -> None:
    step = TRANSACTION_ITEMS - 1  # and the asset's condition check
    for start in range(0, len(tasks), step):
        updates = [
            tasks_repo.index_update(
                account_id,
                task["id"],
                stored_fields(task),
                int(task["version"]),
            )
            for task in tasks[start : start + step]
        ]
        try:
            client.transact_write_items(TransactItems=[*updates, asset_unchanged(account_id, asset)])
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            # Someone wrote the asset or a task meanwhile and set the keys; the read still shows
            # these tasks (computed just now), and the next read finds them wherever they are.
            continue
