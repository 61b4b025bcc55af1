"""The Business Function report: the HTML view, the PDF, and the blank report that is never sent."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from tests.ec_access.make import make_eligible_group, make_group, make_product, make_sl_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, specialist):
    client.force_login(specialist)
    return client


def test_it_shows_the_seed_columns_for_the_seed_sample(signed_in, on_day):
    group, _ = make_eligible_group(group_number="824751")
    body = signed_in.get(reverse("ec_bf_report", args=["824751"])).content.decode()
    assert "BUSINESS FUNCTION ASSIGNMENT FOR ONLINE REPORTS" in body
    for cell in ("1177334", "824751", "FUSION CONTROLS INC", "<td>EM</td>", "<td>T</td>", "7125, 7126, 8581"):
        assert cell in body
    assert "Missing on the app" in body


def test_it_downloads_the_report_as_a_pdf(signed_in, on_day, tmp_path):
    make_eligible_group(group_number="824751")
    response = signed_in.get(reverse("ec_bf_report_pdf", args=["824751"]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="BF-report-824751.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "BUSINESS FUNCTION ASSIGNMENT FOR ONLINE REPORTS" in text
    assert "7125, 7126, 8581" in text and "EmployerGroup@humana.com" in text


def test_it_explains_a_blank_report_and_refuses_to_send_it(signed_in, on_day):
    group = make_group("630001")
    make_product(group, "dental")
    make_sl_app(group)
    page = signed_in.get(reverse("ec_bf_report", args=["630001"])).content.decode()
    assert "DO NOT send blank reports to Access Management" in page
    assert "The group has no active Go365 coverage." in page
    assert "The group has no active medical coverage." in page
    assert "Download PDF" not in page
    response = signed_in.get(reverse("ec_bf_report_pdf", args=["630001"]))
    assert response.status_code == 409
    assert b"A blank report is never sent" in response.content


def test_it_does_not_call_a_report_with_8581_blank(signed_in, on_day):
    """Seed 000: "If the report does not display any numbers under the business functions
    section, there are no identifiers or business functions to be added." A medical group
    without Go365 has 8581 on its report ("Business Functions will not display if: The group
    has no active Go365 coverage"): not blank, and the page says what it lacks."""
    group = make_group("630002", ec_number="1177335")
    make_product(group, "medical", includes_go365=False)
    make_sl_app(group)
    page = signed_in.get(reverse("ec_bf_report", args=["630002"])).content.decode()
    assert "<td>8581</td>" in page and "<dd>8581</dd>" in page  # on the report, missing on the app
    assert "blank" not in page.lower()
    assert "No Go365 reports (7125, 7126): the group has no active Go365 coverage." in page
    assert "Download PDF" in page
    assert signed_in.get(reverse("ec_bf_report_pdf", args=["630002"]))["Content-Type"] == "application/pdf"


def test_it_refuses_to_send_a_report_without_an_ec_number_without_calling_it_blank(signed_in, on_day):
    """The demo's medical group without Go365 and no EC#: "If the group has medical and the
    report is blank data may be incorrect on customer reporting end" does not apply, as the
    report shows 8581; the missing EC# goes to customer reporting all the same."""
    group = make_group("630003", ec_number="")
    make_product(group, "medical", includes_go365=False)
    make_sl_app(group)
    page = signed_in.get(reverse("ec_bf_report", args=["630003"])).content.decode()
    assert "<td>8581</td>" in page and "blank" not in page.lower()
    assert "No Go365 reports (7125, 7126): the group has no active Go365 coverage." in page
    assert "Customer Reporting has no EC# for this group" in page and "Download PDF" not in page
    response = signed_in.get(reverse("ec_bf_report_pdf", args=["630003"]))
    assert response.status_code == 409 and b"has no EC#" in response.content


def test_it_runs_a_cas_groups_report_for_its_mtv_shell(signed_in, on_day):
    shell = make_group("640001", ec_number="1200001", name="SHELL CO")
    make_product(shell, "medical")
    make_group("640002", platform="CAS", mtv_shell=shell, ec_number="")
    body = signed_in.get(reverse("ec_bf_report", args=["640002"])).content.decode()
    assert "pulled with the MTV group ID" in body and "1200001" in body and "SHELL CO" in body


def test_it_warns_during_the_reporting_blackout(client, specialist, on_day):
    on_day(dt.date(2026, 12, 2))  # before signing in: a session idle since November has expired
    client.force_login(specialist)
    make_eligible_group(group_number="824751")
    body = client.get(reverse("ec_bf_report", args=["824751"])).content.decode()
    assert "Reporting is down from the 1st-5th" in body and "Sun Dec 6, 2026" in body
    # Seed 000: "you will not be able to run any business function reports until the 6th":
    # nothing is offered for sending. The 6th of December 2026 is a Sunday: sent from Monday 7th.
    assert "Download PDF" not in body
    assert "Nothing to send yet" in body and "Mon Dec 7, 2026" in body
    refused = client.get(reverse("ec_bf_report_pdf", args=["824751"]))
    assert refused.status_code == 409 and refused["Content-Type"].startswith("text/html")
    assert "There is nothing to download for sending yet." in refused.content.decode()


def test_it_offers_the_download_again_on_the_first_business_day(client, specialist, on_day):
    on_day(dt.date(2026, 12, 7))
    client.force_login(specialist)
    make_eligible_group(group_number="824751")
    body = client.get(reverse("ec_bf_report", args=["824751"])).content.decode()
    assert "Download PDF" in body and "Nothing to send yet" not in body


def test_it_looks_a_group_up_by_number(signed_in, on_day):
    make_eligible_group(group_number="824751")
    response = signed_in.get(reverse("ec_bf_report_lookup"), {"group": " 824751 "})
    assert response["Location"] == reverse("ec_bf_report", args=["824751"])
    missing = signed_in.get(reverse("ec_bf_report_lookup"), {"group": "<b>1</b>"})
    assert missing.status_code == 200 and b"No employer group &lt;b&gt;1&lt;/b&gt;" in missing.content


def test_it_404s_an_unknown_group(signed_in):
    assert signed_in.get(reverse("ec_bf_report", args=["000000"])).status_code == 404


def test_it_keeps_the_report_from_users_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("ec_bf_report_lookup")).status_code == 403
