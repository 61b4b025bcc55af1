from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk import rollups
from supportdesk.models import Case
from supportdesk.views.supervisor import PAGE_SIZE
from tests.factories import make_case

pytestmark = pytest.mark.django_db

CLOSED = [("sale_stage", {"choice": "pre_sale"})]


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def listed(client, **params) -> list[Case]:
    response = client.get(reverse("supervisor_cases"), params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_it_filters_by_status_disposition_and_specialist(signed_in, specialist, other_specialist):
    open_case = make_case(specialist)
    closed = make_case(specialist, answers=CLOSED)
    theirs = make_case(other_specialist)
    assert listed(signed_in, status="open") == [theirs, open_case]
    assert listed(signed_in, status="closed") == [closed]
    assert listed(signed_in, disposition="referred") == [closed]
    assert listed(signed_in, specialist=other_specialist.pk) == [theirs]
    assert listed(signed_in, flow="arsos-routing", status="closed") == [closed]


def test_it_flags_and_filters_a_case_changed_after_its_outcome(signed_in, specialist):
    from supportdesk import services

    changed = make_case(specialist, answers=CLOSED)
    changed = services.case_back(case=changed, user=specialist)  # reopens it
    changed = services.case_answer(case=changed, user=specialist, step_key="sale_stage",
                                   data={"choice": "pre_sale"}).case
    untouched = make_case(specialist, answers=CLOSED)
    assert listed(signed_in, changed="yes") == [changed]
    assert listed(signed_in, changed="no") == [untouched]
    page = signed_in.get(reverse("supervisor_case", args=[changed.reference])).content.decode()
    assert "Changed after the outcome" in page and "Reopened 1×" in page
    listing = signed_in.get(reverse("supervisor_cases")).content.decode()
    assert listing.count("changed after the outcome") == 1


def test_an_open_case_names_its_step_by_title_not_by_key(signed_in, specialist):
    case = make_case(specialist)
    page = signed_in.get(reverse("supervisor_case", args=[case.reference])).content.decode()
    assert "Still open at “Is this a pre-sale or a post-sale question?”" in page
    assert f"“{case.current_step}”" not in page


def test_it_finds_a_case_by_reference_or_group_number(signed_in, specialist):
    wanted = make_case(specialist, group_number="824751")
    other = make_case(specialist)
    assert listed(signed_in, q=wanted.reference) == [wanted]
    assert listed(signed_in, q=wanted.reference.lower().replace("-", "")) == [wanted]
    assert listed(signed_in, q="824751") == [wanted]
    assert listed(signed_in, q=str(other.pk)) == [other]


def test_it_filters_by_opening_date(signed_in, specialist):
    old = make_case(specialist)
    new = make_case(specialist)
    Case.objects.filter(pk=old.pk).update(opened_at=timezone.now() - timedelta(days=10))
    rollups.rebuild()  # history rewritten outside the services: the list's total reads the rollups
    today = timezone.localdate()
    assert listed(signed_in, opened_from=today.isoformat()) == [new]
    assert listed(signed_in, opened_to=(today - timedelta(days=5)).isoformat()) == [old]


def test_it_explains_bad_filters_instead_of_failing(signed_in, specialist):
    make_case(specialist)
    response = signed_in.get(reverse("supervisor_cases"), {
        "opened_from": "2026-13-45", "specialist": "abc", "opened_to": "2020-01-01", "page": "x",
    })
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"Enter a valid date" in response.content


def test_it_rejects_an_end_date_before_the_start(signed_in):
    response = signed_in.get(reverse("supervisor_cases"), {"opened_from": "2026-05-02", "opened_to": "2026-05-01"})
    assert b"The end date is before the start date." in response.content


def test_it_paginates(signed_in, specialist):
    for _ in range(PAGE_SIZE + 2):
        make_case(specialist)
    first = signed_in.get(reverse("supervisor_cases"))
    second = signed_in.get(reverse("supervisor_cases"), {"page": 2})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert len(second.context["page"].object_list) == 2
    assert b"Page 1 of 2" in first.content


def test_it_shows_the_transcript(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "commission"})])
    body = signed_in.get(reverse("supervisor_case", args=[case.reference])).content.decode()
    assert "Commission question" in body
    assert "agentsupport@humana.com" in body
    assert "Sam Rivera" in body


def test_it_downloads_the_transcript_as_a_pdf(signed_in, specialist, tmp_path):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "medicaid"})])
    response = signed_in.get(reverse("supervisor_case_pdf", args=[case.reference]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{case.reference}-transcript.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert case.reference in text
    assert "Medicaid Issues" in text
    assert "Out of scope for ARSOS" in text


def test_it_draws_the_flow_map_from_local_static_files(signed_in):
    body = signed_in.get(reverse("flow_map", args=["arsos-routing"])).content.decode()
    assert "flowchart TD" in body
    assert "/static/vendor/mermaid/mermaid.min.js" in body
    assert "https://" not in body.split("<main")[0]
