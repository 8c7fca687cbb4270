"""What a recipient gets when a task becomes upcoming or overdue: an SMS that is always one GSM-7
segment, and an email whose subject stays one line and whose HTML shows names as text."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.notify.content import Fact, Transition
from shared.notify.email import SUBJECT_LIMIT, email_message
from shared.notify.sms import GSM7_BASIC, GSM7_EXTENSION, gsm7_length, sms_text, to_gsm7

GSM7 = GSM7_BASIC | GSM7_EXTENSION
AT = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)  # 09:30 in Berlin
DUE_DAY = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # the start of 2026-12-01 in Berlin
DISTANCE = Fact("distance", "overdue", 15_000, 15_120)
DATE = Fact("date", "overdue", DUE_DAY, AT)
OVERDUE = Transition(
    status="overdue",
    previous="upcoming",
    task_name="Oil change",
    asset_name="Truck 12",
    at=AT,
    time_zone="Europe/Berlin",
    facts=(DISTANCE, DATE),
    task_id="tsk_01",
    asset_id="ast_07",
)
HOSTILE_NAMES = {
    "emoji": "🚚 Delivery van 👨\u200d👩\u200d👧 🔧",
    "cjk": "東京の配送トラック" * 4,
    "polish": "Łódź \u2013 przegląd żurawia ŚĆĘ",
    "german": "Straße-Kehrmaschine Größe Ölwechsel",
    "500 characters": "Hydraulic pump inspection " * 20,
    "newlines": "Oil\nchange\r\nnow\x00\tplease\u2028twice",
    "extension characters": "[A]{B}~|^\\€" * 30,
}


def _septets_of(message: str) -> int:
    """The message's length in GSM-7 septets, failing if it holds a character GSM-7 lacks."""
    assert set(message) <= GSM7, set(message) - GSM7
    return gsm7_length(message)


def test_the_sms_tells_status_task_asset_and_facts_with_thousands_separators() -> None:
    assert sms_text(OVERDUE) == (
        "OVERDUE: Oil change on Truck 12 - due 15,000 km, now 15,120 km. Due 2026-12-01."
    )


def test_an_upcoming_sms_shows_hours_without_needless_decimals() -> None:
    upcoming = replace(
        OVERDUE, status="upcoming", previous="planned", facts=(Fact("hours", "upcoming", 500.0, 487.5),)
    )
    assert sms_text(upcoming) == "UPCOMING: Oil change on Truck 12 - due 500 h, now 487.5 h."


def test_a_meter_without_reading_shows_only_its_due_point() -> None:
    unread = replace(OVERDUE, facts=(Fact("distance", "upcoming", 1_250_000.5, None),))
    assert sms_text(unread) == "OVERDUE: Oil change on Truck 12 - due 1,250,000.5 km."


@pytest.mark.parametrize("hostile", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_an_sms_is_one_gsm7_segment_whatever_the_names(hostile: str) -> None:
    message = sms_text(replace(OVERDUE, task_name=hostile, asset_name=hostile))

    assert _septets_of(message) <= 160
    assert message.startswith(f"OVERDUE: {to_gsm7(hostile)[:10]}")
    assert "\n" not in message and "\r" not in message
    # Names are shortened before any fact is given up.
    assert "due 15,000 km, now 15,120 km. Due 2026-12-01." in message


def test_names_are_transliterated_to_gsm7_where_a_plain_form_exists() -> None:
    assert to_gsm7("Łódź Żuraw") == "Lodz Zuraw"
    assert to_gsm7("Straße Ærø Ça") == "Straße Ærø Ça"  # all GSM-7 already
    assert to_gsm7("\ufb01x \u201cquoted\u201d \u2013 done") == 'fix "quoted" - done'
    assert to_gsm7("東京 🚚") == "?? ?"
    assert to_gsm7(" Oil\nchange\r\n\x00 now ") == "Oil change now"


def test_extension_characters_count_twice() -> None:
    assert gsm7_length("[A]{B}") == 10
    assert gsm7_length("Truck €") == 8
    with pytest.raises(ValueError, match="GSM"):
        gsm7_length("Łódź")

    message = sms_text(replace(OVERDUE, task_name="{[]}" * 100))
    assert len(message) < 160 < 2 * len(message)
    assert _septets_of(message) <= 160


def test_long_names_are_shortened_with_an_ellipsis() -> None:
    message = sms_text(replace(OVERDUE, task_name="Replace hydraulic hoses " * 10, asset_name="Crane " * 40))

    assert message.startswith("OVERDUE: Replace hydraulic hoses Replace")
    assert "... on Crane Crane" in message
    assert message.endswith("... - due 15,000 km, now 15,120 km. Due 2026-12-01.")


def test_facts_are_dropped_last_first_when_even_short_names_would_not_fit() -> None:
    huge = Fact("hours", "overdue", 1e20, 1e20 - 2e6)
    long_names = replace(OVERDUE, task_name="T" * 200, asset_name="A" * 200, facts=(DISTANCE, huge, DATE))

    message = sms_text(long_names)

    assert _septets_of(message) <= 160
    assert "due 15,000 km, now 15,120 km. Due 100,000,000,000,000,000,000 h" in message
    assert "2026-12-01" not in message
    assert "2026-12-01" in sms_text(replace(long_names, task_name="Oil change", asset_name="Truck"))


@pytest.mark.parametrize(
    ("zone", "day"), [("Europe/Berlin", "2026-12-01"), ("America/New_York", "2026-11-30")]
)
def test_dates_are_shown_in_the_account_zone(zone: str, day: str) -> None:
    transition = replace(OVERDUE, time_zone=zone, facts=(DATE,))

    assert sms_text(transition).endswith(f" - due {day}.")
    assert f"Date (overdue): due {day}" in email_message(transition).text


def test_the_email_tells_each_fact_when_it_happened_and_the_ids() -> None:
    message = email_message(OVERDUE)

    assert message.subject == "Overdue: Oil change on Truck 12"
    lines = message.text.splitlines()
    assert 'The service task "Oil change" on "Truck 12" is now overdue (it was upcoming).' in message.text
    assert "- Distance (overdue): due 15,000 km, now 15,120 km, 120 km past due" in lines
    assert "- Date (overdue): due 2026-12-01, now 2026-12-04, 3 days past due" in lines
    assert "When: 2026-12-04 09:30 (Europe/Berlin, UTC+01:00)" in lines
    assert "Task ID: tsk_01" in lines
    assert "Asset ID: ast_07" in lines


def test_the_email_tells_what_is_left_and_a_missing_reading() -> None:
    upcoming = replace(
        OVERDUE,
        status="upcoming",
        previous="planned",
        facts=(Fact("hours", "upcoming", 500, 487.5), Fact("distance", "upcoming", 15_000, None)),
    )

    message = email_message(upcoming)

    assert message.subject == "Upcoming: Oil change on Truck 12"
    assert "- Operating hours (upcoming): due 500 h, now 487.5 h, 12.5 h left" in message.text
    assert "- Distance (upcoming): due 15,000 km, no reading yet" in message.text
    assert "12.5 h left" in message.html


def test_an_unknown_account_zone_shows_utc() -> None:
    message = email_message(replace(OVERDUE, time_zone="Mars/Olympus_Mons"))
    assert "When: 2026-12-04 08:30 (UTC)" in message.text
    assert "Due 2026-11-30." in sms_text(replace(OVERDUE, time_zone="Mars/Olympus_Mons"))


@pytest.mark.parametrize("hostile", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_the_subject_is_one_short_line_whatever_the_names(hostile: str) -> None:
    subject = email_message(
        replace(OVERDUE, task_name=hostile, asset_name=f"Truck\r\nBcc: x@y.z {hostile}")
    ).subject

    assert len(subject) <= SUBJECT_LIMIT
    assert len(subject.splitlines()) == 1
    assert subject.startswith("Overdue: ")


def test_the_html_shows_markup_in_names_as_text() -> None:
    message = email_message(
        replace(OVERDUE, task_name="<script>alert('x')</script>", asset_name='Truck "12" & <b>co</b>')
    )

    assert "<script" not in message.html.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in message.html
    assert "Truck &quot;12&quot; &amp; &lt;b&gt;co&lt;/b&gt;" in message.html
    assert "<b>" not in message.html


def test_the_html_is_a_self_contained_document_with_the_facts() -> None:
    page = email_message(OVERDUE).html

    assert page.startswith("<!DOCTYPE html>")
    for outside in ("http", "src=", "<link", "<style", "url(", "<script"):
        assert outside not in page
    for shown in ("15,000 km", "15,120 km", "120 km past due", "2026-12-01", "Europe/Berlin", "tsk_01"):
        assert shown in page


names = st.text(max_size=600)
meters = st.one_of(st.none(), st.floats(min_value=0, max_value=10_000_000))
meter_facts = st.builds(
    Fact,
    kind=st.sampled_from(["distance", "hours"]),
    status=st.sampled_from(["upcoming", "overdue"]),
    due=st.floats(min_value=0, max_value=10_000_000),
    current=meters,
)
instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2199, 1, 1), timezones=st.just(UTC)
)
date_facts = st.builds(Fact, kind=st.just("date"), status=st.just("overdue"), due=instants, current=instants)
transitions = st.builds(
    Transition,
    status=st.sampled_from(["upcoming", "overdue"]),
    previous=st.sampled_from(["planned", "upcoming"]),
    task_name=names,
    asset_name=names,
    at=instants,
    time_zone=st.sampled_from(["UTC", "Europe/Berlin", "Pacific/Kiritimati", "Asia/Kathmandu", "Nope"]),
    facts=st.lists(st.one_of(meter_facts, date_facts), max_size=4).map(tuple),
    task_id=st.text(max_size=40),
    asset_id=st.text(max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(transitions)
def test_any_names_give_one_gsm7_segment(transition: Transition) -> None:
    message = sms_text(transition)

    assert _septets_of(message) <= 160
    assert message.startswith(("OVERDUE: ", "UPCOMING: "))
    assert "\n" not in message and "\r" not in message


@settings(max_examples=200, deadline=None)
@given(transitions)
def test_any_names_give_a_one_line_subject(transition: Transition) -> None:
    subject = email_message(transition).subject

    assert len(subject) <= SUBJECT_LIMIT
    assert len(subject.splitlines()) == 1
    assert subject == subject.strip()
