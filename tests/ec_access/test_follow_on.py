"""An outcome that sends the specialist to another flow opens it with the subject carried over,
and the two cases link to each other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.models import Case
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case
from tests.robustness.web import web

pytestmark = pytest.mark.django_db


def ec_present_case(specialist):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "1177334"
    sl_app.save()
    case = make_case(specialist, "ec-employer-access", [(
        "group", {"group-group_number": group.group_number,
                  "group-sl_app_number": sl_app.sl_app_number})])
    assert case.outcome_key == "out_ec_present"
    return case, group, sl_app


def test_the_button_opens_the_troubleshooting_flow_for_the_same_group(specialist, on_day):
    case, group, sl_app = ec_present_case(specialist)
    client = web(specialist)
    page = client.get(reverse("case_step", args=[case.reference, case.current_step])).content.decode()
    assert "Start “EC reports: employer cannot see them” for this group" in page

    response = client.post(reverse("case_follow_on", args=[case.reference]))
    follow_on = Case.objects.exclude(pk=case.pk).get()
    assert response.status_code == 303
    assert response["Location"] == reverse("case_step", args=[follow_on.reference,
                                                             follow_on.current_step])
    assert (follow_on.flow_key, follow_on.follows, follow_on.caller_type,
            follow_on.subject.get("group_number"), follow_on.subject.get("sl_app_number")) == (
        "ec-employer-cannot-see", case, case.caller_type, group.group_number,
        sl_app.sl_app_number)
    assert f"Follows {case.reference}" in follow_on.events.get(kind="opened").answer
    assert case.events.filter(kind="note").last().answer.startswith(
        f"Follow-on case {follow_on.reference} opened")
    # Each case's header links to the other.
    back_page = client.get(case.get_resume_url(), follow=True).content.decode()
    assert follow_on.reference in back_page
    new_page = client.get(follow_on.get_resume_url(), follow=True).content.decode()
    assert f"Follows <a href=\"{case.get_resume_url()}\">{case.reference}</a>" in new_page


def test_it_opens_nothing_from_a_case_whose_step_leads_nowhere_else(specialist, on_day):
    case = make_case(specialist, "ec-employer-access")  # open, on its first step
    response = web(specialist).post(reverse("case_follow_on", args=[case.reference]),
                                    follow=True)
    assert "This case does not lead to another flow" in response.content.decode()
    assert Case.objects.count() == 1


def test_nobody_else_opens_a_follow_on_of_someone_elses_case(specialist, other_specialist,
                                                            on_day):
    case, _, _ = ec_present_case(specialist)
    response = web(other_specialist).post(reverse("case_follow_on", args=[case.reference]))
    assert response.status_code == 404 and Case.objects.count() == 1
