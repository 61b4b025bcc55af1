"""Medical information is shared unless the member opted out; sensitive information needs the
member's consent form (seed 003, Member Choices for Sharing Medical and Sensitive Health
Information)."""

from __future__ import annotations

import pytest

from husky_reports.rules import Information, Sharing, sharing


@pytest.mark.parametrize(("opted_out", "expected"), [(False, Sharing.SHARED),
                                                     (True, Sharing.OPTED_OUT)])
def test_it_shares_medical_information_unless_the_member_opted_out(opted_out, expected):
    assert sharing(Information.MEDICAL, opted_out=opted_out, consent_on_file=False) == expected


@pytest.mark.parametrize("information", [Information.HIV, Information.SUBSTANCE_ABUSE,
                                         Information.BEHAVIORAL_HEALTH])
def test_it_needs_the_consent_form_for_sensitive_information(information):
    assert sharing(information, opted_out=False, consent_on_file=False) == Sharing.CONSENT_NEEDED
    assert sharing(information, opted_out=False, consent_on_file=True) == Sharing.SHARED
