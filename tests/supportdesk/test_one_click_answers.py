"""A question answers in one click: each choice is a submit button carrying its value, with its
number key shown; the last answer (after Back) is marked; no Continue button."""

from __future__ import annotations

import re

import pytest

from supportdesk import services
from tests.factories import make_case
from tests.pages import HTMX, step_url

pytestmark = pytest.mark.django_db


def choice_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="choice"[^>]*>', html)


def test_each_choice_is_a_submit_button_carrying_its_value(signed_in, specialist):
    case = make_case(specialist)
    html = signed_in.get(step_url(case)).content.decode()
    buttons = choice_buttons(html)
    assert len(buttons) == 3
    assert 'value="post_sale"' in buttons[0] and 'value="pre_sale"' in buttons[2]
    assert 'type="radio"' not in html


def test_a_question_has_no_continue_button(signed_in, specialist):
    case = make_case(specialist)
    html = signed_in.get(step_url(case)).content.decode()
    form = html[html.index('class="answer-form"'):html.index("</form>", html.index('class="answer-form"'))]
    assert ">Continue<" not in form
    assert len(re.findall(r"<button", form)) == 3  # the three choices, nothing else


def test_one_post_of_the_clicked_button_answers_the_question(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "post_sale"}, **HTMX)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.current_step == "topic"
    assert case.answers == {"sale_stage": "post_sale"}
    assert "What does the agent need?" in response.content.decode()


def test_it_answers_without_javascript_too(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "post_sale"})
    assert response.status_code == 303
    assert response["Location"] == f"/cases/{case.reference}/step/topic/"


def test_the_first_nine_choices_show_their_number_key(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    html = signed_in.get(step_url(case)).content.decode()
    buttons = choice_buttons(html)
    assert len(buttons) == 17  # "What does the agent need?"
    for n, button in enumerate(buttons[:9], start=1):
        assert f'aria-keyshortcuts="{n}"' in button
    assert all("aria-keyshortcuts" not in button for button in buttons[9:])
    badges = re.findall(r'<span class="choice-key" aria-hidden="true">(\d*)</span>', html)
    assert badges == [str(n) for n in range(1, 10)] + [""] * 8
    assert "choices-many" in html  # the long list is laid out compactly


def test_the_buttons_are_named_by_their_label_alone(signed_in, specialist):
    """The badge is hidden from screen readers: the button's name is the choice's label."""
    case = make_case(specialist)
    html = signed_in.get(step_url(case)).content.decode()
    first = html[html.index('value="post_sale"'):]
    first = first[:first.index("</button>")]
    assert '<span class="choice-key" aria-hidden="true">1</span>' in first
    assert '<span class="choice-label">Post-sale: a customer service need for a member</span>' in first


def test_the_first_choice_takes_the_focus_on_a_full_page(signed_in, specialist):
    case = make_case(specialist)
    buttons = choice_buttons(signed_in.get(step_url(case)).content.decode())
    assert "autofocus" in buttons[0] and not any("autofocus" in b for b in buttons[1:])


def test_after_back_the_last_answer_is_marked(signed_in, specialist):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    case = services.case_back(case=case, user=specialist)
    html = signed_in.get(step_url(case)).content.decode()
    post, prospective, pre = choice_buttons(html)
    assert "choice-last" in pre and "autofocus" in pre  # Enter answers the same again
    assert 'aria-describedby="choice-3-last"' in pre
    assert not any("choice-last" in b or "autofocus" in b for b in (post, prospective))
    assert html.count("Your last answer") == 1


def test_a_value_not_offered_is_refused_and_the_question_stays(signed_in, specialist):
    case = make_case(specialist)
    response = signed_in.post(step_url(case), {"choice": "nonsense"}, **HTMX)
    assert response.status_code == 200
    assert "Choose one of the answers offered for this step." in response.content.decode()
    case.refresh_from_db()
    assert case.current_step == "sale_stage" and case.answers == {}
