"""The end of a grant taken back and not given again within 4 hours (docs/plans.md, "Revocation").

Taking a grant back hides the asset from the provider at once, and for 4 hours that is all:
giving it again restores everything. From ``revoked_at + WINDOW`` on, the provider leaves: each
assignment it provides for on the asset loses its provider and becomes inactive, with its tasks
kept as they were (out of every index: no status, no notice), and the grant goes for good. This
happens at the first of: the evaluator's sweep (the grant is in GSI5 at that instant), or any
write on that grant (giving it again then is a new grant; taking it back again is answered as
done). The owner is told by an integration event, which the evaluator publishes from the
removal's record (written in the same transaction, so it is never lost).
"""

from datetime import datetime, timedelta
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import grant_removals, grants_repo, messaging
from shared.observability import count
from shared.services.provider_leaving import leave_parts, provided_on
from shared.services.task_transactions import commit, guarded, load_asset

WINDOW = timedelta(hours=4)
DETAIL_TYPE = "Provider removed"


def ends_at(grant: dict[str, Any]) -> datetime | None:
    """When a taken-back grant's window ends (None: the grant is in force)."""
    return from_iso(grant["revoked_at"]) + WINDOW if grant.get("revoked_at") else None


def is_over(grant: dict[str, Any], now: datetime) -> bool:
    """Whether the grant was taken back at least WINDOW ago: [T, T + 4 h) keeps it."""
    end = ends_at(grant)
    return end is not None and now >= end


def expire(owner: str, asset_id: str, provider: str, now: datetime) -> bool:
    """Remove the grant for good if its window is over; True if this call removed it."""

    def step() -> dict[str, Any] | None:
        grant = grants_repo.get_grant(owner, asset_id, provider)
        if grant is None or not is_over(grant, now):
            return None
        context = load_asset(owner, asset_id, "asset_id")
        mine = provided_on(owner, asset_id, provider)
        parts, tasks = leave_parts(owner, context, mine, now)
        told = {
            "account_id": owner,
            "asset_id": asset_id,
            "provider_account_id": provider,
            "plan_ids": [a["plan_id"] for a in mine],
            "revoked_at": grant["revoked_at"],
            "removed_at": to_iso(now),
        }
        parts += grant_removals.removal_parts(grant, told, now)
        commit(owner, context, tasks, parts, now)  # a grant changed meanwhile: read again
        return told

    if guarded(step, None) is None:
        return False
    grants_repo.delete_link(provider, asset_id)
    count("ProvidersRemoved", 1)
    return True


def tell_owner(entry: dict[str, Any]) -> None:
    """Publish a removal the evaluator found (at least once: the record leaves the index after)."""
    record = grant_removals.get_removal(entry)
    if record is not None and "GSI5PK" in record:
        fields = ("account_id", "asset_id", "provider_account_id", "plan_ids", "revoked_at", "removed_at")
        messaging.publish_events([{name: record[name] for name in fields}], DETAIL_TYPE)
        grant_removals.removal_told(entry)
