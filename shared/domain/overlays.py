"""Overlays: a provider's own warning thresholds over a plan it provides for (docs/plans.md,
"Overlays"). Per lead, the most specific overlay that sets it wins: one for the asset and the
planned service, then the asset, then the planned service, then the whole plan; a lead no overlay
sets is the plan's."""

from collections.abc import Mapping
from typing import Any

# The lead an overlay may set, and the planned service's condition it belongs to.
LEADS = {"notify_before_h": "hours", "notify_before_km": "distance", "notify_before_days": "date"}
ANY = "*"


def _specificity(asset_id: str, service_id: str) -> list[tuple[str, str]]:
    return [(asset_id, service_id), (asset_id, ANY), (ANY, service_id), (ANY, ANY)]


def leads_for(
    asset_id: str, service_id: str, overlays: Mapping[tuple[str, str], Mapping[str, Any]]
) -> dict[str, Any]:
    """The leads the overlays set for one planned service on one asset; ``overlays`` by the
    (asset or ``*``, planned service or ``*``) they cover."""
    leads: dict[str, Any] = {}
    for scope in reversed(_specificity(asset_id, service_id)):  # the most specific last: it wins
        for lead in LEADS:
            if (value := (overlays.get(scope) or {}).get(lead)) is not None:
                leads[lead] = value
    return leads


def overlaid(service: Mapping[str, Any], leads: Mapping[str, Any]) -> dict[str, Any]:
    """The planned service with its conditions' leads replaced by ``leads`` (those of conditions
    it has)."""
    conditions = {kind: dict(condition) for kind, condition in service["conditions"].items()}
    for lead, value in leads.items():
        if LEADS[lead] in conditions:
            conditions[LEADS[lead]][lead] = value
    return {**service, "conditions": conditions}
