from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportdesk.engine import registry
from supportdesk.models import Case
from tests.factories import make_case
from tests.pages import HTMX, step_url
from tests.supportdesk.flows_for_tests import tiny_flow

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_and_redirects_to_its_first_step(signed_in, specialist):
    response = signed_in.post(reverse("case_open", args=["arsos-routing"]), {"caller_type": "agent"})
    case = Case.objects.get()
    assert response.status_code == 303 and response["Location"] == step_url(case)
    assert case.opened_by == specialist
    page = signed_in.get(response["Location"])
    assert b"Is this a pre-sale or a post-sale question?" in page.content


def test_it_shows_the_errors_of_a_bad_case_subject(signed_in, monkeypatch):
    monkeypatch.setattr(registry, "_flows", [*registry.all(), tiny_flow()])
    response = signed_in.post(
        reverse("case_open", args=["tiny"]),
        {"caller_type": "agent", "group_number": "12-34", "sl_app_number": "x"},
    )
    assert response.status_code == 200
    assert b"A group number is 6 to 8 digits" in response.content
    assert b"An SL application number is 4 to 12 digits." in response.content
    assert b'value="12-34"' in response.content  # nothing typed is lost
    assert not Case.objects.exists()


def test_it_ignores_a_group_number_for_a_flow_that_does_not_ask_for_one(signed_in):
    signed_in.post(
        reverse("case_open", args=["arsos-routing"]), {"caller_type": "agent", "group_number": "12-34"}
    )
    assert Case.objects.get().subject.get("group_number", "") == ""


def test_it_refuses_a_caller_type_that_is_not_offered(signed_in):
    response = signed_in.post(reverse("case_open", args=["arsos-routing"]), {"caller_type": "member"})
    assert b"Select a valid choice" in response.content
    assert not Case.objects.exists()


def test_it_404s_an_unknown_flow(signed_in):
    assert signed_in.get(reverse("case_open", args=["no-such-flow"])).status_code == 404


def test_it_answers_without_javascript_by_post_and_redirect(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "post_sale"})
    case.refresh_from_db()
    assert response.status_code == 303
    assert response["Location"] == f"/cases/{case.reference}/step/topic/"


def test_it_swaps_the_step_in_place_with_htmx_and_pushes_the_url(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "post_sale"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/cases/{case.reference}/step/topic/"
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="case"') and "<html" not in body
    assert "What does the agent need?" in body


def test_it_renders_the_full_page_for_an_htmx_history_restore(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.get(step_url(case), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in response.content


def test_it_redirects_a_stale_step_url_to_the_current_step(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    response = signed_in.get(reverse("case_step", args=[case.reference, "sale_stage"]))
    assert response.status_code == 302 and response["Location"] == step_url(case)


def test_it_refuses_an_answer_to_an_old_step_with_a_message(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    response = signed_in.post(
        reverse("case_step", args=[case.reference, "sale_stage"]), {"choice": "pre_sale"}, follow=True
    )
    assert b"no longer the current one" in response.content
    case.refresh_from_db()
    assert case.current_step == "topic" and case.is_open


def test_it_refuses_a_tampered_choice_without_a_500(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "<script>"}, follow=True)
    assert response.status_code == 200
    assert b"Choose one of the answers offered" in response.content
    assert case.events.count() == 1


def test_it_keeps_ticked_boxes_when_a_form_step_is_refused(signed_in, specialist):
    case = make_case(specialist, answers=[
        ("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "billing"}),
        ("si_member", {"choice": "existing"}), ("si_my_humana_business", {}),
        ("si_result", {"choice": "unresolved"}), ("escalation", {"choice": "mailbox"}),
    ])
    response = signed_in.post(step_url(case), {"mailbox_line-medicare": "on", "mailbox_line-individual": "on"}, **HTMX)
    body = response.content.decode()
    assert "separate e-mails" in body
    assert body.count("checked") == 2


def test_it_goes_back_and_shows_the_previous_answer(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    response = signed_in.post(reverse("case_back", args=[case.reference]), **HTMX)
    assert response["HX-Push-Url"].endswith("/step/sale_stage/")
    body = response.content.decode()
    assert 'value="post_sale" class="choice choice-last"' in body  # marked as the last answer


def test_it_restarts_a_case(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    response = signed_in.post(reverse("case_restart", args=[case.reference]), follow=True)
    assert b"restarted from the first step" in response.content
    case.refresh_from_db()
    assert case.current_step == "sale_stage" and case.answers == {}


def test_it_rejects_get_on_back_and_restart(signed_in, specialist):
    case = make_case(specialist)
    assert signed_in.get(reverse("case_back", args=[case.reference])).status_code == 405
    assert signed_in.get(reverse("case_restart", args=[case.reference])).status_code == 405


def test_it_hides_another_specialists_case(client, specialist, other_specialist):
    case = make_case(specialist)
    client.force_login(other_specialist)
    assert client.get(step_url(case)).status_code == 404
    assert client.post(step_url(case), {"choice": "pre_sale"}).status_code == 404
    assert client.post(reverse("case_back", args=[case.reference])).status_code == 404
    assert client.post(reverse("case_restart", args=[case.reference])).status_code == 404
    case.refresh_from_db()
    assert case.is_open and case.current_step == "sale_stage" and case.events.count() == 1


def test_it_lists_my_open_cases_for_resuming(signed_in, specialist, other_specialist):
    mine = make_case(specialist)
    make_case(other_specialist)
    make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    home = signed_in.get(reverse("home")).content.decode()
    assert mine.reference in home
    listed = signed_in.get(reverse("my_cases")).context["cases"]
    assert list(listed) == [mine]
    resume = signed_in.get(reverse("case_resume", args=[mine.reference]))
    assert resume["Location"] == step_url(mine)


def test_it_shows_the_artifact_with_a_copy_button(signed_in, specialist):
    case = make_case(specialist, answers=[
        ("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "billing"}),
        ("si_member", {"choice": "existing"}), ("si_my_humana_business", {}),
        ("si_result", {"choice": "unresolved"}), ("escalation", {"choice": "mailbox"}),
        ("mailbox_line", {"mailbox_line-individual": "on"}),
    ])
    body = signed_in.get(step_url(case)).content.decode()
    assert "[Member Last Name Here], [Member First Name Here] [HumanaOne]" in body
    assert 'data-copy="AgentRSOS@humana.com">Copy To</button>' in body
    assert 'data-copy="To:' not in body  # the body is copied alone
    assert "Ready to send" in body  # the specialist sends this one


def test_a_step_reads_the_transcript_once_for_its_events_numbers_and_its_side_panel(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    with CaptureQueriesContext(connection) as captured:
        page = signed_in.post(step_url(case), {"choice": "billing"}, **HTMX).content.decode()
    events = list(case.events.order_by("seq").values_list("seq", "kind", "step_title"))
    assert [seq for seq, _kind, _title in events] == list(range(1, len(events) + 1))
    # This step appended two events: the answer, then the automatic check it landed on.
    (_, answered, _), (_, checked, check_title) = events[-2:]
    assert (answered, checked) == ("answer", "check")
    reads = [query["sql"] for query in captured
             if query["sql"].startswith("SELECT") and "supportdesk_caseevent" in query["sql"]]
    assert len(reads) == 1, reads  # with the lock: the next numbers and the panel both come from it
    assert 'class="so-far-check"' in page and check_title in html.unescape(page)
