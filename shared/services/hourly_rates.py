"""An account's hourly rates for labour on work orders (C7, C8). A rate is priced in the account's
currency as it was when the rate was made; a later change of the account's currency leaves the
rate's as it is (nothing is converted)."""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import catalogue_repo, keys, settings_repo
from shared.faults import invalid
from shared.ids import new_id
from shared.models.settings import minor_unit
from shared.models.work_order_catalogue import (
    HourlyRate,
    HourlyRateCreate,
    HourlyRatePage,
    HourlyRateQuery,
    HourlyRateUpdate,
)
from shared.services.catalogue_entries import change_entry, delete_entry, stored_entry

WHAT = "Hourly rate"
PRICE = "body.price_per_hour"


def _price(value: float, currency: str) -> float:
    """The price kept to the currency's minor unit; one that rounds to nothing is refused."""
    kept = round(value, minor_unit(currency)) + 0.0
    if kept <= 0:
        raise invalid(PRICE, f"must be at least one minor unit of {currency}", "below_minor_unit")
    return kept


def create_rate(account_id: str, body: HourlyRateCreate, now: datetime) -> HourlyRate:
    currency = settings_repo.get_settings(account_id).currency
    if currency is None:
        raise invalid(
            PRICE, "the account has no currency: set it first (PATCH /settings)", "currency_not_set"
        )
    rate_id = new_id("rate")
    fields = {
        "entity": "hourly_rate",
        "id": rate_id,
        "name": body.name,
        "code": body.code,
        "price_per_hour": _price(body.price_per_hour, currency),
        "currency": currency,
        "active": body.active,
        "created_at": to_iso(now),
    }
    return HourlyRate.model_validate(
        catalogue_repo.put(account_id, keys.hourly_rate_sk(rate_id), fields, None, now)
    )


def get_rate(account_id: str, rate_id: str) -> HourlyRate:
    return HourlyRate.model_validate(stored_entry(account_id, keys.hourly_rate_sk(rate_id), WHAT))


def list_rates(account_id: str, query: HourlyRateQuery) -> HourlyRatePage:
    """Oldest first (ids are time-ordered)."""
    only = ("active", query.active) if query.active is not None else None
    page = catalogue_repo.page(account_id, catalogue_repo.RATES, query.limit, query.next, only)
    return HourlyRatePage(items=[HourlyRate.model_validate(item) for item in page.items], next=page.next)


def update_rate(
    account_id: str, rate_id: str, body: HourlyRateUpdate, expected_version: int | None, now: datetime
) -> HourlyRate:
    changes = {name: getattr(body, name) for name in body.model_fields_set}

    def change(fields: dict[str, Any]) -> dict[str, Any]:
        if "price_per_hour" not in changes:
            return changes
        return {**changes, "price_per_hour": _price(changes["price_per_hour"], fields["currency"])}

    item = change_entry(account_id, keys.hourly_rate_sk(rate_id), WHAT, change, expected_version, now)
    return HourlyRate.model_validate(item)


def delete_rate(account_id: str, rate_id: str, expected_version: int | None) -> None:
    """Delete a rate (work orders keep the rate they copied onto their lines)."""
    delete_entry(account_id, keys.hourly_rate_sk(rate_id), WHAT, expected_version)
