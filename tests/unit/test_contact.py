"""Phone numbers and email addresses: the patterns the API document states, checked as stated."""

import re

import phonenumbers
import pytest
from pydantic import TypeAdapter, ValidationError

from shared.models.contact import CALLING_CODES, EMAIL_PATTERN, PHONE_PATTERN, Email, Phone


def test_the_calling_codes_are_libphonenumbers() -> None:
    assert sorted(int(code) for code in CALLING_CODES) == sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


@pytest.mark.parametrize("number", ["+4915112345678", "+12025550123", "+35312345678", "+917012345678"])
def test_numbers_libphonenumber_calls_valid_are_accepted(number: str) -> None:
    assert phonenumbers.is_valid_number(phonenumbers.parse(number))
    assert TypeAdapter(Phone).validate_python(number) == number


@pytest.mark.parametrize("number", ["+999123456", "+0123456", "+1 2025550123", "+49151123456789012", "+4912"])
def test_numbers_outside_e164_or_without_a_calling_code_are_refused(number: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Phone).validate_python(number)


def test_validation_and_the_document_use_one_pattern() -> None:
    """pydantic checks with Rust's regex, clients with ECMA's: the patterns stay in the subset both
    read alike (no lookarounds, no backreferences, ASCII classes)."""
    for pattern in (PHONE_PATTERN, EMAIL_PATTERN):
        assert not re.search(r"\(\?[=!<]|\\[1-9]|\\[dDwWsS]", pattern)
    schema = TypeAdapter(Email).json_schema()
    assert schema["pattern"] == EMAIL_PATTERN and schema["maxLength"] == 254
