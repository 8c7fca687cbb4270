"""Data access for the end of a grant (G8 in docs/data-model.md): the taken-back grant waits in
the evaluator's index (GSI5) at the end of its window; its removal deletes it with one less on
the asset's counter and records what the owner is told, in GSI5 until the evaluator told it."""

from datetime import datetime, timedelta
from typing import Any

from shared.clock import to_iso
from shared.data import keys, plan_keys
from shared.data.dynamo import TABLE_NAME, client, get_one, key, to_item, to_values
from shared.data.task_items import eval_keys

RECORD_KEPT = timedelta(days=400)  # a provider's removal, as notifications are kept


def sweep_keys(grant: dict[str, Any], at: datetime | None) -> dict[str, Any]:
    """The keys that put a taken-back grant in the evaluator's index at the end of its window
    (None: out of it). The index keeps the table's keys: the owner, asset and provider."""
    return eval_keys(f"{grant['asset_id']}#{grant['provider']}", at)


def of_sweep_entry(entry: dict[str, Any]) -> tuple[str, str, str]:
    """(owner, asset id, provider) of a grant the evaluator found (its table keys)."""
    asset_id, provider = entry["SK"].removeprefix(plan_keys.GRANTS).split("#", 1)
    return keys.account_of(entry["PK"]), asset_id, provider


def removal_parts(grant: dict[str, Any], record: dict[str, Any], now: datetime) -> list[Any]:
    """The parts that remove a grant for good: the grant on its version, one less on the counter,
    and the record of the removal (``record``: what the owner is told), in the evaluator's index
    until the owner was told (the evaluator publishes it: docs/notifications.md)."""
    sk = f"REMOVED#{grant['asset_id']}#{grant['provider']}#{to_iso(now)}"
    told = {
        "PK": grant["PK"],
        "SK": sk,
        "entity": "removal",
        **record,
        **eval_keys(sk, now),
        "expires_at": int((now + RECORD_KEPT).timestamp()),
    }
    return [
        {"Put": {"TableName": TABLE_NAME, "Item": to_item(told)}},
        {
            "Delete": {
                "TableName": TABLE_NAME,
                "Key": key(grant["PK"], grant["SK"]),
                "ConditionExpression": "version = :seen",
                "ExpressionAttributeValues": to_values({":seen": int(grant["version"])}),
            }
        },
        {
            "Update": {
                "TableName": TABLE_NAME,
                "Key": key(grant["PK"], plan_keys.grant_counter_sk(grant["asset_id"])),
                "UpdateExpression": "ADD grants :less",
                "ExpressionAttributeValues": to_values({":less": -1}),
            }
        },
    ]


def get_removal(entry: dict[str, Any]) -> dict[str, Any] | None:
    return get_one(entry["PK"], entry["SK"])


def removal_told(entry: dict[str, Any]) -> None:
    """The removal's record out of the evaluator's index: the owner was told."""
    client.update_item(
        TableName=TABLE_NAME, Key=key(entry["PK"], entry["SK"]), UpdateExpression="REMOVE GSI5PK, GSI5SK"
    )
