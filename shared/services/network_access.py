"""Who reaches a network: its owner, and its member providers (through their membership)."""

from typing import Any

from shared.data import networks_repo
from shared.faults import not_found
from shared.ids import is_valid_id

WHAT = "Network"


def reached(caller: str, network_id: str) -> dict[str, Any]:
    """The network if the caller owns it or is one of its providers; else 404."""
    owned, membership = (None, None)
    if is_valid_id(network_id, "net"):
        owned, membership = networks_repo.of_caller(caller, network_id)
    if owned is not None:
        return owned
    network = networks_repo.get(membership["owner"], network_id) if membership else None
    if network is None:
        raise not_found(WHAT)
    return network
