"""What the system routes answer."""

from typing import Literal

from shared.models.common import OutputModel


class Health(OutputModel):
    status: Literal["ok"]
    version: str
    time: str
