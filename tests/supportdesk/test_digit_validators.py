"""Identifiers are ASCII digits only, with nothing after them: a regex's \\d takes any Unicode
digit and $ allows a trailing newline, so the validators use [0-9] and \\Z."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ec_access.models.groups import validate_ec_identifier
from ec_access.validators import validate_group_number, validate_sl_app_number
from noyo_sync.models.connections import validate_carrier_group_id, validate_ein

VALIDATORS = {
    "group number": (validate_group_number, "824751"),
    "SL application number": (validate_sl_app_number, "400123"),
    "EC identifier": (validate_ec_identifier, "1177334"),
    "carrier group ID": (validate_carrier_group_id, "100123"),
    "EIN": (validate_ein, "123456789"),
}


@pytest.mark.parametrize("name", VALIDATORS)
def test_it_accepts_the_ascii_example(name):
    validator, example = VALIDATORS[name]
    validator(example)


@pytest.mark.parametrize("name", VALIDATORS)
@pytest.mark.parametrize("tamper", [
    lambda v: v + "\n",  # $ would match before it
    lambda v: v.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic-Indic digits
    lambda v: v.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width
    lambda v: " " + v,
], ids=["trailing newline", "arabic-indic", "full-width", "leading space"])
def test_it_refuses_look_alike_digits_and_trailing_newlines(name, tamper):
    validator, example = VALIDATORS[name]
    with pytest.raises(ValidationError):
        validator(tamper(example))
