"""Key layout of service plans and their assignments (P1-P5, PA1-PA8 in docs/data-model.md)."""

from shared.data.keys import ACCOUNT
from shared.domain.overlays import ANY

# Service plans (issue 15, docs/data-model.md P1-P4). Plans are read across accounts (public
# plans, network plans, the plans of assignments), by id alone: a plan has a partition of its own,
# ``PLAN#<id>``, with the plan (``#PLAN``, holding its owner) and the revisions it had before its
# current one (``REV#<n>``); its owner's plans are found in GSI3.
PLAN_SK = "#PLAN"


def plan_pk(plan_id: str) -> str:
    return f"PLAN#{plan_id}"


def plan_revision_sk(revision: int) -> str:
    return f"REV#{revision:06d}"


def own_plans_gsi3pk(account_id: str) -> str:
    """The plans an account owns, by id (GSI3, whose sort key is the plan id)."""
    return f"{ACCOUNT}{account_id}#PLANS"


def public_plans_gsi1pk(brand: str, model: str) -> str:
    """Plans published for a brand and model, across accounts (GSI1; both case-folded)."""
    folded = brand.casefold()  # its length first: a brand may hold "#"
    return f"PUBLICPLAN#{len(folded)}#{folded}#{model.casefold()}"


# Plan assignments (PA1-PA8): in the asset owner's partition, beside the asset; the plan's
# assignments by revision in GSI7, the provider's by plan in GSI6 (both overloaded, ALL projected).
def assignment_sk(asset_id: str, plan_id: str) -> str:
    return f"ASSIGN#{asset_id}#{plan_id}"


def asset_assignments_prefix(asset_id: str) -> str:
    return f"ASSIGN#{asset_id}#"


def plan_assignments_gsi7pk(plan_id: str) -> str:
    return f"PLAN#{plan_id}#ASSIGNED"


def plan_assignments_gsi7sk(account_id: str, revision: int, asset_id: str) -> str:
    """By asset owner, then revision: one owner's assignments of the plan are one key range."""
    return f"{account_id}#{revision:06d}#{asset_id}"


def owner_assignments_prefix(account_id: str) -> str:
    return f"{account_id}#"


def provided_gsi6pk(provider: str) -> str:
    """The assignments an account provides for, across asset owners (GSI6)."""
    return f"{ACCOUNT}{provider}#PROVIDES"


def provided_gsi6sk(plan_id: str, asset_id: str) -> str:
    return f"{plan_id}#{asset_id}"


# Providers (G1-G8): an asset owner's grants of an asset to a provider, beside the asset; a
# counter per asset that holds them to MAX_PROVIDERS; and the provider's link to each asset it
# was granted, in the provider's partition (what every provider read starts from).
def grant_sk(asset_id: str, provider: str) -> str:
    return f"GRANT#{asset_id}#{provider}"


GRANTS = "GRANT#"


def asset_grants_prefix(asset_id: str) -> str:
    return f"GRANT#{asset_id}#"


def grant_counter_sk(asset_id: str) -> str:
    return f"GRANTS#{asset_id}"


LINK = "SEES#"


def link_sk(asset_id: str) -> str:
    return f"{LINK}{asset_id}"


def provided_gsi4pk(provider: str) -> str:
    """A provider's links with open tasks of its own, by when they need attention (GSI4)."""
    return f"ACCOUNT#{provider}#PROVIDED"


def provided_gsi4sk(warn_at_iso: str | None, asset_id: str) -> str:
    return f"{warn_at_iso or '~'}#{asset_id}"


# Networks (NW1-NW6): the network beside its owner's other items, a membership item in each member
# provider's partition, and the network's members (providers, plans) in a partition of its own.
NETWORKS = "NET#"


def network_sk(network_id: str) -> str:
    return f"{NETWORKS}{network_id}"


def membership_sk(network_id: str) -> str:
    return f"{NETWORKS}{network_id}#MEMBER"


def network_pk(network_id: str) -> str:
    return f"NETWORK#{network_id}"


MEMBER_PROVIDER, MEMBER_PLAN = "PROVIDER#", "PLAN#"


# Overlays (O1-O5): a provider's warning thresholds over a plan, in its own partition, keyed by
# what they cover (``*``: every asset, every planned service), with a pointer by id.


def overlay_prefix(plan_id: str | None = None) -> str:
    return f"OVERLAY#{plan_id}#" if plan_id else "OVERLAY#"


def overlay_sk(plan_id: str, asset_id: str | None, service_id: str | None) -> str:
    return f"OVERLAY#{plan_id}#{asset_id or ANY}#{service_id or ANY}"


def overlay_pointer_sk(overlay_id: str) -> str:
    return f"OVLID#{overlay_id}"
