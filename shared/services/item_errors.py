"""A refused entry of a bulk request, answered as the entry alone would have been."""

from shared.faults import Fault
from shared.http.errors import from_fault
from shared.models.common import ItemError


def refused(fault: Fault) -> tuple[int, ItemError]:
    """The status and the error (its code, message and first field) the fault alone would get."""
    error = from_fault(fault)
    body = error.body()["error"]
    field = body["details"][0]["field"] if body.get("details") else None
    return error.status, ItemError(code=body["code"], message=body["message"], field=field)
