from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.models import CaseReview
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_it_adds_a_review_beside_the_transcript(client, supervisor, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    events = case.events.count()
    client.force_login(supervisor)
    response = client.post(reverse("supervisor_case_review", args=[case.reference]),
                           {"rating": "4", "note": "Right referral; could have named the phone line."}, follow=True)
    assert b"Review added" in response.content and b"4 of 5" in response.content
    assert case.events.count() == events
    review = CaseReview.objects.get()
    assert (review.reviewer, review.rating) == (supervisor, 4)


def test_it_refuses_a_review_of_an_open_case(client, supervisor, specialist):
    case = make_case(specialist)
    client.force_login(supervisor)
    response = client.post(reverse("supervisor_case_review", args=[case.reference]),
                           {"rating": "3", "note": "x"}, follow=True)
    assert b"still open" in response.content and not CaseReview.objects.exists()


def test_it_explains_a_bad_review(client, supervisor, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    client.force_login(supervisor)
    response = client.post(reverse("supervisor_case_review", args=[case.reference]), {"rating": "9", "note": ""})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content and b"This field is required" in response.content
    assert not CaseReview.objects.exists()


def test_it_filters_reviewed_cases(client, supervisor, specialist):
    reviewed = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    other = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    CaseReview.objects.create(case=reviewed, reviewer=supervisor, rating=5, note="Good")
    client.force_login(supervisor)
    assert list(client.get(reverse("supervisor_cases"), {"reviewed": "yes"}).context["page"]) == [reviewed]
    assert list(client.get(reverse("supervisor_cases"), {"reviewed": "no"}).context["page"]) == [other]


def test_it_keeps_reviews_append_only(supervisor, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    review = CaseReview.objects.create(case=case, reviewer=supervisor, rating=5, note="Good")
    review.note = "changed"
    with pytest.raises(TypeError, match="append-only"):
        review.save()
    with pytest.raises(TypeError, match="append-only"):
        CaseReview.objects.all().delete()


def test_it_refuses_reviews_from_specialists(client, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    client.force_login(specialist)
    assert client.post(reverse("supervisor_case_review", args=[case.reference]),
                       {"rating": "5", "note": "me"}).status_code == 403
