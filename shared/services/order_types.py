"""An account's work-order types (C3): the built-in ones (seed 003's categories, with their
codes) and the account's own. A built-in type can be renamed (stored as the account's version of
it) but not deleted."""

from datetime import datetime
from typing import Any

from shared.data import catalogue_repo, keys
from shared.domain.order_catalogue import MAX_TYPES, SEEDED_TYPES, OrderType, merged
from shared.faults import conflict, not_found
from shared.models.work_order_catalogue import OrderType as TypeView
from shared.models.work_order_catalogue import OrderTypeCreate, OrderTypeList, OrderTypeUpdate
from shared.services.versioned import check_version, retried
from shared.services.work_order_catalogue import (
    find_type,
    path_key,
    type_of,
    version_of,
)

WHAT = "Work-order type"
_BUILT_IN = {kind.key: kind for kind in SEEDED_TYPES}


def _view(kind: OrderType, item: dict[str, Any] | None) -> TypeView:
    return TypeView(
        key=kind.key,
        name=kind.name,
        code=kind.code,
        built_in=kind.key in _BUILT_IN,
        version=version_of(item) or 0,
        updated_at=item.get("updated_at") if item else None,
    )


def _stored(account_id: str) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in catalogue_repo.entries(account_id, catalogue_repo.TYPES)}


def list_types(account_id: str) -> OrderTypeList:
    stored = _stored(account_id)
    overrides = {key: type_of(item, _BUILT_IN.get(key)) for key, item in stored.items()}
    kinds = merged(SEEDED_TYPES, overrides, key=lambda kind: kind.key)
    return OrderTypeList(items=[_view(kind, stored.get(kind.key)) for kind in kinds])


def _fields(key: str, name: str) -> dict[str, Any]:
    return {"entity": "order_type", "key": key, "name": name}


def create_type(account_id: str, body: OrderTypeCreate, now: datetime) -> TypeView:
    def attempt() -> TypeView:
        stored = _stored(account_id)
        if body.key in _BUILT_IN or body.key in stored:
            raise conflict(f"the account has a type '{body.key}' already", "body.key", "key_taken")
        if len(stored) + len(_BUILT_IN) >= MAX_TYPES:
            raise conflict(f"an account has at most {MAX_TYPES} types", None, "too_many_types")
        item = catalogue_repo.put(
            account_id, keys.order_type_sk(body.key), _fields(body.key, body.name), None, now
        )
        return _view(OrderType(body.key, body.name), item)

    return retried(attempt)


def update_type(
    account_id: str, key: str, body: OrderTypeUpdate, expected_version: int | None, now: datetime
) -> TypeView:
    path_key(key, WHAT)

    def attempt() -> TypeView:
        kind, item = find_type(account_id, key)
        if kind is None:
            raise not_found(WHAT)
        check_version(expected_version, version_of(item) or 0)
        fields = _fields(key, body.name)
        stored = catalogue_repo.put(account_id, keys.order_type_sk(key), fields, version_of(item), now)
        return _view(OrderType(key, body.name, kind.code), stored)

    return retried(attempt)


def delete_type(account_id: str, key: str, expected_version: int | None) -> None:
    """Delete one of the account's own types (orders made with it keep its key)."""
    path_key(key, WHAT)

    def attempt() -> None:
        kind, item = find_type(account_id, key)
        if kind is None:
            raise not_found(WHAT)
        if key in _BUILT_IN:
            raise conflict("a built-in type cannot be deleted (it can be renamed)", None, "built_in")
        assert item is not None  # an account type is stored
        check_version(expected_version, int(item["version"]))
        catalogue_repo.delete(account_id, keys.order_type_sk(key), int(item["version"]))

    retried(attempt)
