"""Account settings: read them, change them."""

from datetime import datetime

from shared.data import settings_repo
from shared.domain.accounts import AccountSettings
from shared.models.settings import NotificationSettings, QuietHours, Settings, SettingsUpdate


def _notifications(settings: AccountSettings) -> NotificationSettings:
    if settings.quiet_hours is None:
        return NotificationSettings()
    start, end = settings.quiet_hours
    return NotificationSettings(quiet_hours=QuietHours(start=f"{start:%H:%M}", end=f"{end:%H:%M}"))


def _view(settings: AccountSettings) -> Settings:
    return Settings(
        time_zone=settings.time_zone,
        currency=settings.currency,
        notifications=_notifications(settings),
        version=settings.version,
        updated_at=settings.updated_at,
    )


def get_settings(account_id: str) -> Settings:
    return _view(settings_repo.get_settings(account_id))


def update_settings(
    account_id: str, changes: SettingsUpdate, expected_version: int | None, now: datetime
) -> Settings:
    fields = changes.model_dump(include=changes.model_fields_set, exclude_none=False)
    if fields.get("notifications") and fields["notifications"].get("quiet_hours") is None:
        fields["notifications"] = None  # the defaults: nothing stored
    return _view(settings_repo.update_settings(account_id, fields, expected_version, now))
