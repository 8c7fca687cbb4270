"""What an order's public status link answers: the page a customer opens without an account."""

from typing import Literal

from pydantic import Field

from shared.models.common import OutputModel, StoredTime


class PublicLink(OutputModel):
    reference: str = Field(description="Shown once: only a hash of it is kept")
    url: str
    created_at: StoredTime


class PublicSite(OutputModel):
    name: str
    city: str | None = None


class PublicNote(OutputModel):
    text: str
    created_at: StoredTime


class PublicStatus(OutputModel):
    """What anyone holding an order's public link may see: no ids, contacts, people or prices."""

    number: str
    title: str
    type: str
    status: str
    state: Literal["open", "closed"]
    step: int = Field(description="The status's place in the workflow, 1 to steps")
    steps: int
    planned_start: StoredTime | None = None
    planned_end: StoredTime | None = None
    actual_start: StoredTime | None = None
    actual_end: StoredTime | None = None
    site: PublicSite | None = None
    assets: list[str] = Field(default_factory=list, description="The assets' names")
    notes: list[PublicNote] = Field(default_factory=list, description="Notes meant for the customer")
