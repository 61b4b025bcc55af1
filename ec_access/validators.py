"""The formats of the numbers EC access holds and a case names: group and SL app numbers."""

from __future__ import annotations

from django.core.validators import RegexValidator

# Seed 000 shows group numbers such as 112233 and 824751; Humana uses 6 to 8 digits.
validate_group_number = RegexValidator(
    r"\A[0-9]{6,8}\Z", "A group number is 6 to 8 digits, for example 824751."
)
validate_sl_app_number = RegexValidator(
    r"\A[0-9]{4,12}\Z", "An SL application number is 4 to 12 digits."
)
