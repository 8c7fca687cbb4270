"""A reading is stored without what its keys say, and reads back as it was recorded."""

from shared.data import keys, reading_items

RECORD = {
    "PK": keys.readings_pk("acct-1", "ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7"),
    "SK": keys.reading_sk("2026-11-20T08:00:00.000000Z"),
    "entity": "reading",
    "asset_id": "ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7",
    "time": "2026-11-20T08:00:00.000000Z",
    "odometer_km": 1_250.5,
    "hours": 310.0,
    "raw_odometer_km": 1_250.5,
    "raw_hours": 10.0,  # the hour meter was replaced: 300 h before the new one
    "applied": True,
    "recorded_at": "2026-11-20T08:00:03.123456Z",
    "source": "telematics",
}


def test_a_stored_reading_keeps_only_what_its_keys_and_lifetime_values_do_not_say() -> None:
    item = reading_items.stored(RECORD)
    assert set(item) == {"PK", "SK", "km", "h", "raw_h", "rec", "source"}
    assert (item["km"], item["h"], item["raw_h"]) == (1_250.5, 310.0, 10.0)
    assert item["rec"] == 1_795_161_603_123_456
    assert reading_items.record(item) == RECORD


def test_readings_stored_in_the_fuller_form_read_the_same() -> None:
    assert reading_items.record(RECORD) == RECORD


def test_a_reading_that_moved_no_meter_says_so() -> None:
    history = {**RECORD, "applied": False}
    assert reading_items.stored(history)["applied"] is False
    assert reading_items.record(reading_items.stored(history)) == history
