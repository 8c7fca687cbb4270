"""Data access for plan assignments (PA1-PA8 in docs/data-model.md).

An assignment is one item in the asset owner's partition, ``ASSIGN#<asset id>#<plan id>``, so an
asset's assignments are one key range and its tasks, which the assignment makes, are written in
the same transaction as the asset's summary. The plan's assignments (by revision) are in GSI7,
a provider's (by plan) in GSI6.
"""

from typing import TYPE_CHECKING, Any

from shared.data import keys, plan_keys
from shared.data.dynamo import TABLE_NAME, client, from_item, get_items, key, on_version, to_item, to_values
from shared.data.pages import PageResult, all_under, prefix_page, query_all, query_page
from shared.data.settings_repo import settings_key, to_settings
from shared.domain.accounts import AccountSettings

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def indexed(item: dict[str, Any]) -> dict[str, Any]:
    """The assignment with its index keys: the plan's (GSI7) and, when it has one, its provider's
    (GSI6)."""
    owner = keys.account_of(item["PK"])
    out = {name: value for name, value in item.items() if not name.startswith(("GSI6", "GSI7"))}
    out["GSI7PK"] = plan_keys.plan_assignments_gsi7pk(item["plan_id"])
    out["GSI7SK"] = plan_keys.plan_assignments_gsi7sk(owner, int(item["revision"]), item["asset_id"])
    if item.get("provider"):
        out["GSI6PK"] = plan_keys.provided_gsi6pk(item["provider"])
        out["GSI6SK"] = plan_keys.provided_gsi6sk(item["plan_id"], item["asset_id"])
    return out


def new_item(account_id: str, asset_id: str, plan_id: str) -> dict[str, Any]:
    return {
        "PK": keys.account_pk(account_id),
        "SK": plan_keys.assignment_sk(asset_id, plan_id),
        "entity": "assignment",
        "asset_id": asset_id,
        "plan_id": plan_id,
    }


def get(account_id: str, asset_id: str, plan_id: str) -> dict[str, Any] | None:
    found = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), plan_keys.assignment_sk(asset_id, plan_id)),
        ConsistentRead=True,
    ).get("Item")
    return from_item(found) if found else None


def put(item: dict[str, Any], seen: int | None) -> "TransactWriteItemTypeDef":
    """A transaction part that stores the assignment as the next version of what was read."""
    return {"Put": {"TableName": TABLE_NAME, "Item": to_item(indexed(item)), **on_version(seen)}}  # type: ignore[typeddict-item]


def delete(item: dict[str, Any]) -> "TransactWriteItemTypeDef":
    return {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(item["PK"], item["SK"]),
            "ConditionExpression": "version = :seen",
            "ExpressionAttributeValues": {":seen": {"N": str(item["version"])}},
        }
    }


def asset_assignments(owner: str, asset_id: str) -> list[dict[str, Any]]:
    """An asset's assignments (PA1, consistent)."""
    return all_under(keys.account_pk(owner), plan_keys.asset_assignments_prefix(asset_id))


def asset_deletes(owner: str, asset_id: str) -> list["TransactWriteItemTypeDef"]:
    """The parts that delete an asset's assignments (each on its version) with the asset: only
    pending ones can be left, as an active one has tasks and an asset with tasks stays."""
    return [delete(item) for item in asset_assignments(owner, asset_id)]


def account_page(account_id: str, asset_id: str | None, limit: int, cursor: str | None) -> PageResult:
    """The account's assignments, or one asset's, by asset (PA1)."""
    prefix = plan_keys.asset_assignments_prefix(asset_id) if asset_id else "ASSIGN#"
    return prefix_page(keys.account_pk(account_id), prefix, limit, cursor)


def provided_page(provider: str, asset_id: str | None, limit: int, cursor: str | None) -> PageResult:
    """The assignments the provider provides for, by plan and asset (PA7: GSI6, ALL projected)."""
    pk = plan_keys.provided_gsi6pk(provider)
    values: dict[str, Any] = {":pk": pk}
    if asset_id is not None:
        values[":asset"] = asset_id
    return query_page(
        key_condition="GSI6PK = :pk",
        values=to_values(values),
        partition={"GSI6PK": pk},
        limit=limit,
        cursor=cursor,
        index="GSI6",
        filter_expression="asset_id = :asset" if asset_id is not None else None,
    )


def owner_assignments_of_plan(account_id: str, plan_id: str) -> list[dict[str, Any]]:
    """One asset owner's assignments of a plan, at every revision (PA5): the index's copies, which
    may be a moment old; a write reads the assignment itself again."""
    request = {
        "TableName": TABLE_NAME,
        "IndexName": "GSI7",
        "KeyConditionExpression": "GSI7PK = :pk AND begins_with(GSI7SK, :owner)",
        "ExpressionAttributeValues": to_values(
            {
                ":pk": plan_keys.plan_assignments_gsi7pk(plan_id),
                ":owner": plan_keys.owner_assignments_prefix(account_id),
            }
        ),
    }
    return list(query_all(request))


def plan_in_use(plan_id: str) -> bool:
    """Whether any asset has the plan, at any revision (PA3): one index entry is enough."""
    response = client.query(
        TableName=TABLE_NAME,
        IndexName="GSI7",
        KeyConditionExpression="GSI7PK = :pk",
        ExpressionAttributeValues=to_values({":pk": plan_keys.plan_assignments_gsi7pk(plan_id)}),
        Limit=1,
    )
    return bool(response.get("Items"))


def prefetch(
    entries: list[tuple[str, str, str]],
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]], dict[str, AccountSettings]]:
    """What a bulk change reads first, in BatchGetItems of 100 keys (consistent), for entries of
    (asset owner, asset id, plan id): the assets, the assignments and each owner's settings.
    Returns the assets by id, the assignments by (asset id, plan id), the settings by owner."""
    owners = sorted({owner for owner, _, _ in entries})
    assets = sorted({(owner, asset_id) for owner, asset_id, _ in entries})
    wanted = [key(keys.account_pk(owner), keys.asset_sk(asset_id)) for owner, asset_id in assets]
    wanted += [
        key(keys.account_pk(owner), plan_keys.assignment_sk(asset_id, plan_id))
        for owner, asset_id, plan_id in dict.fromkeys(entries)
    ]
    wanted += [settings_key(owner) for owner in owners]
    found = get_items(wanted)
    settings = {keys.account_of(item["PK"]): item for item in found if item["SK"] == keys.SETTINGS_SK}
    return (
        {item["id"]: item for item in found if item.get("entity") == "asset"},
        {(item["asset_id"], item["plan_id"]): item for item in found if item.get("entity") == "assignment"},
        {owner: to_settings(settings.get(owner)) for owner in owners},
    )


def provided_of_plan(provider: str, plan_id: str) -> list[dict[str, Any]]:
    """The assignments of a plan the provider provides for, on any owner's assets (GSI6: the
    index's copies, a moment old at most; a write reads each again)."""
    request = {
        "TableName": TABLE_NAME,
        "IndexName": "GSI6",
        "KeyConditionExpression": "GSI6PK = :pk AND begins_with(GSI6SK, :prefix)",
        "ExpressionAttributeValues": to_values(
            {":pk": plan_keys.provided_gsi6pk(provider), ":prefix": f"{plan_id}#"}
        ),
    }
    return list(query_all(request))
