"""The no-member-data rule for notes (supportdesk/phi.py): refused and allowed examples."""

from __future__ import annotations

import datetime as dt

import pytest

from supportdesk.phi import find_member_data

TODAY = dt.date(2026, 11, 18)


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("Member ID H55501234 cannot log in", "a member ID", "H55501234"),
    ("h55501234 on the line", "a member ID", "h55501234"),
    ("Humana ID H1234567801", "a member ID", "H1234567801"),
    ("HUSKY client ID 111111111", "a member ID", "111111111"),
    ("member #: 987654321", "a member ID", "987654321"),
    ("MBI 1EG4-TE5-MK73", "a member ID", "1EG4-TE5-MK73"),
    ("Medicare number is 1EG4TE5MK73", "a member ID", "1EG4TE5MK73"),
    ("1EG4TE5MK73", "a Medicare number", "1EG4TE5MK73"),
    ("SSN 123-45-6789", "a Social Security number", "123-45-6789"),
    ("DOB 2/19/1958", "a date of birth", "2/19/1958"),
    ("date of birth Feb 19", "a date of birth", "Feb 19"),
    ("d.o.b. 19580219", "a date of birth", "19580219"),
    ("2/19/1958", "a date of birth", "2/19/1958"),
    ("02/19/58", "a date of birth", "02/19/58"),
    ("19/02/1958", "a date of birth", "19/02/1958"),
    ("1958-02-19", "a date of birth", "1958-02-19"),
    ("Feb 19, 1958", "a date of birth", "Feb 19, 1958"),
    ("February 19 1958", "a date of birth", "February 19 1958"),
    ("Feb. 19, 1958", "a date of birth", "Feb. 19, 1958"),
    ("19 February 1958", "a date of birth", "19 February 1958"),
    ("19580219", "a date of birth", "19580219"),
    ("02191958", "a date of birth", "02191958"),
    ("Newborn added 1/9/2025", "a date of birth", "1/9/2025"),  # a QLE birth is recent
    ("today 11/18/2026", "a date of birth", "11/18/2026"),
    ("Member name: Zebedeea Quillfeather", "a member's name", "Zebedeea"),
    ("the patient's name is Jo", "a member's name", "Jo"),
])
def test_it_finds_member_data(text, kind, found):
    member_data = find_member_data(text, today=TODAY)
    assert member_data is not None, text
    assert (member_data.kind, member_data.text) == (kind, found)
    assert found not in member_data.message  # safe to raise: the refusal never quotes it
    assert f"“{found}”" in member_data.quoted_message  # the page's error does, to find it


@pytest.mark.parametrize("text", [
    "Group 824751 FUSION CONTROLS INC",
    "SL app 5550013, EC 1131095, BP identifier 786961001",
    "Incident INC0012345 raised; REQ0012345, RITM0012345, SCTASK0012345",
    "Case SD-000123 follows SD000122",
    "EC request #12 queued",
    "Agent SAN AB123456 and SAN 8801234",
    "Call 1-800-448-6262, (860) 555-0100 or 800.555.1234 ext 12",
    "the Medicare number 1-800-457-4708",
    "Go365 functions 7125, 7126, 6869 and 8581",
    "Follow up 12/8/2026 or 12/8/26, effective 1/1/2027, on 2027-01-04",  # future dates
    "Follow up Dec 8; registered in March",  # no year
    "group 20240101 is an eight-digit group",
    "Member not on the line; member ID not given; the DOB is not needed",
    "member name is not needed",
    "Called at 10:30, back at 14:05",
    "",
])
def test_it_allows_what_notes_need(text):
    assert find_member_data(text, today=TODAY) is None


def test_a_past_date_is_refused_and_a_future_one_allowed_as_of_the_day_given():
    assert find_member_data("callback 12/8/2026", today=dt.date(2026, 12, 1)) is None
    assert find_member_data("callback 12/8/2026", today=dt.date(2026, 12, 9)) is not None
    assert find_member_data("12/8/26", today=dt.date(2026, 12, 1)) is None  # 2026, not 1926
