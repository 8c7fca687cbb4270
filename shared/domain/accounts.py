"""What applies to everything an account owns."""

from dataclasses import dataclass
from datetime import datetime, time

DEFAULT_TIME_ZONE = "UTC"


@dataclass(frozen=True)
class AccountSettings:
    time_zone: str = DEFAULT_TIME_ZONE  # date conditions fall due at local midnight here
    currency: str | None = None  # default currency of costs
    version: int = 0  # 0: never changed
    updated_at: datetime | None = None
    quiet_hours: tuple[time, time] | None = None  # no SMS from start to end, local time
