"""The words of the flows as authors publish them (flow_content.py): version 1 is the code's,
drafts merge two authors' saves, publish is refused on a broken text or check, cases keep
their version, previews count nowhere, reverts, the changed-flow notice, the audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk import flow_content, rollups, services
from supportdesk.engine import FLOW_TEXTS, Question, registry
from supportdesk.models import (
    AuditEntry,
    Case,
    CaseDay,
    CaseEvent,
    FlowDraft,
    FlowVersion,
    OpenStepDay,
)
from supportdesk.roles import Role
from tests.factories import make_case, make_user
from tests.pages import HTMX, step_url

FLOW = "arsos-routing"
FIRST = "sale_stage"  # "Is this a pre-sale or a post-sale question?"
OLD_TITLE = "Is this a pre-sale or a post-sale question?"
NEW_TITLE = "Pre-sale or post-sale? Ask the agent first"

pytestmark = pytest.mark.django_db


def editor_form(client: Client, flow_key: str = FLOW) -> dict[str, Any]:
    """The editor's form as the page shows it: the signed token and every text's value."""
    page = client.get(reverse("flow_edit", args=[flow_key]))
    assert page.status_code == 200
    data = {"loaded": page.context["token"]}
    for section in page.context["sections"]:
        for f in section.fields:
            data[f.name] = f.shown
    return data


def field_name(data: dict[str, Any], flow_key: str, step_key: str, name: str) -> str:
    keys = [FLOW_TEXTS, *(step.key for step in registry.get(flow_key).steps)]
    found = f"t{keys.index(step_key)}.{name}"
    assert found in data, found
    return found


def save(client: Client, data: dict[str, Any], **changes: str) -> Any:
    return client.post(reverse("flow_edit", args=[FLOW]), {**data, **changes})


@pytest.fixture
def author_client(author) -> Client:
    client = Client()
    client.force_login(author)
    return client


def edit_first_title(author_client: Client, title: str = NEW_TITLE) -> None:
    data = editor_form(author_client)
    response = save(author_client, data, **{field_name(data, FLOW, FIRST, "title"): title})
    assert response.status_code == 303


def publish(client: Client, note: str = "Shorter first question.") -> Any:
    return client.post(reverse("flow_publish", args=[FLOW]), {"note": note})


def test_version_one_is_the_code_words_on_a_fresh_install():
    """Written after migrate (post_migrate), for every registered flow."""
    assert set(FlowVersion.objects.values_list("flow_key", "number")) == {
        (flow.key, 1) for flow in registry.all()}
    flow = flow_content.latest(FLOW)
    version = FlowVersion.objects.get(flow_key=FLOW)
    assert (version.number, version.edits, version.published_by) == (1, {}, None)
    assert flow.version == 1
    assert flow.content() == registry.get(FLOW).content()
    assert version.baseline == flow_content.code_content(registry.get(FLOW))


def test_publish_shows_new_words_on_a_new_case_while_an_open_case_keeps_its_own(
        author_client, specialist, client):
    open_case = make_case(specialist)
    assert open_case.flow_version == 1
    edit_first_title(author_client)
    assert publish(author_client).status_code == 303
    assert FlowVersion.objects.get(flow_key=FLOW, number=2).edits == {FIRST: {"title": NEW_TITLE}}

    client.force_login(specialist)
    new_case = make_case(specialist)
    assert new_case.flow_version == 2
    assert NEW_TITLE in client.get(step_url(new_case)).content.decode()
    old_page = client.get(step_url(open_case)).content.decode()
    assert OLD_TITLE in old_page and NEW_TITLE not in old_page

    # Each transcript says which version it followed, and freezes what it showed.
    opened = CaseEvent.objects.get(case=new_case, kind=CaseEvent.Kind.OPENED)
    assert "(v2)" in opened.shown
    services.case_answer(case=new_case, user=specialist, step_key=FIRST, data={"choice": "post_sale"})
    answered = CaseEvent.objects.get(case=new_case, kind=CaseEvent.Kind.ANSWER)
    assert answered.step_title == NEW_TITLE


def test_an_open_case_keeps_its_words_in_a_fresh_process(author_client, specialist, client):
    """The version's words come from the database, not from what this process composed."""
    open_case = make_case(specialist)
    edit_first_title(author_client)
    publish(author_client)
    flow_content.forget()
    assert services.current_step(open_case).title == OLD_TITLE
    assert services.current_step(make_case(specialist)).title == NEW_TITLE


def test_two_authors_edits_merge_and_a_clash_is_reported_not_overwritten(author, db):
    other = make_user("author2", Role.FLOW_AUTHOR, first_name="Kim", last_name="Ode")
    first, second = Client(), Client()
    first.force_login(author)
    second.force_login(other)
    form_a, form_b = editor_form(first), editor_form(second)
    title, text = (field_name(form_a, FLOW, FIRST, "title"), field_name(form_a, FLOW, FIRST, "text"))

    assert save(first, form_a, **{title: NEW_TITLE}).status_code == 303
    # The second author changed another text on a form loaded before the first save.
    assert save(second, form_b, **{text: "Ask the agent which it is."}).status_code == 303
    draft = FlowDraft.objects.get(flow_key=FLOW)
    assert draft.edits[FIRST] == {"title": NEW_TITLE, "text": "Ask the agent which it is."}
    assert draft.revision == 2

    # Now both change the same title: the second's is not saved, and the page says so.
    clash = save(second, form_b, **{title: "Their own title"})
    assert clash.status_code == 200
    page = clash.content.decode()
    assert "Not saved: changed by someone else meanwhile" in page
    assert "Their own title" in page and NEW_TITLE in page
    draft.refresh_from_db()
    assert draft.edits[FIRST]["title"] == NEW_TITLE
    assert draft.revision == 2


def test_the_editor_polls_for_another_authors_save(author_client, author):
    edit_first_title(author_client)
    status = reverse("flow_draft_status", args=[FLOW])
    polled = author_client.get(status, {"revision": 1}, **HTMX).content.decode()
    assert 'id="draft-status"' in polled and "saved the draft" not in polled
    newer = author_client.get(status, {"revision": 0}, **HTMX).content.decode()
    assert "Jo Lindqvist saved the draft" in newer


def test_a_tampered_form_saves_nothing(author_client):
    data = editor_form(author_client)
    data["loaded"] = "forged"
    response = save(author_client, data, **{field_name(data, FLOW, FIRST, "title"): "X"})
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert not FlowDraft.objects.exists()


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("title", "   ", "Step “Is this a pre-sale or a post-sale question?”: the title is empty."),
    ("text", "Write to arsos@@humana", "is not a valid e-mail address"),
    ("text", "See https://exa mple.com or http://bad_host", "is not a valid web address"),
    ("choice.post_sale.label", "Pre-sale: an application status check, an AOR request or "
     "another question about a prospective sale", "offers two answers worded"),
])
def test_publish_is_refused_and_writes_nothing(author_client, name, value, problem):
    data = editor_form(author_client)
    save(author_client, data, **{field_name(data, FLOW, FIRST, name): value})
    if name == "choice.post_sale.label":  # the same words as the third answer: the check refuses
        value_of_third = registry.get(FLOW).step(FIRST).choices[2].label
        draft = FlowDraft.objects.get()
        draft.edits = {FIRST: {name: value_of_third}}
        draft.save()
    audited = AuditEntry.objects.count()
    response = publish(author_client)
    assert response.status_code == 422
    assert problem in response.content.decode()
    assert FlowVersion.objects.filter(flow_key=FLOW).count() == 1
    assert FlowDraft.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_publish_needs_a_change_note(author_client):
    edit_first_title(author_client)
    response = publish(author_client, note="  ")
    assert response.status_code == 422
    assert "Say in the change note what changed" in response.content.decode()


def test_a_system_check_problem_names_steps_by_title_never_by_key(author):
    flow = registry.get(FLOW)
    first = flow.step(FIRST)
    assert isinstance(first, Question)
    twin = first.choices[0].label
    content = flow_content.shown_content(flow, {FIRST: {"choice.prospective.label": twin}})
    problems = flow_content.content_problems(flow, content)
    assert problems == [f"Step “{OLD_TITLE}” offers two answers worded “{twin.casefold()}”: the "
                        "specialist cannot tell them apart."]
    assert "sale_stage" not in " ".join(problems)


def test_preview_cases_count_in_no_figure_list_or_export(author_client, author, supervisor):
    edit_first_title(author_client)
    response = author_client.post(reverse("flow_preview", args=[FLOW]))
    assert response.status_code == 303
    preview = Case.with_previews.get(preview=True)
    rollups.rebuild()
    assert not OpenStepDay.objects.exists()  # standing open on its first step, counted nowhere
    page = author_client.get(response["Location"]).content.decode()
    assert "Preview" in page and NEW_TITLE in page
    services.case_answer(case=preview, user=author, step_key=FIRST, data={"choice": "pre_sale"})

    assert not Case.objects.exists()
    assert not CaseDay.objects.exists() and not OpenStepDay.objects.exists()
    rollups.rebuild()
    assert not CaseDay.objects.exists() and not OpenStepDay.objects.exists()
    client = Client()
    client.force_login(supervisor)
    listing = client.get(reverse("supervisor_cases")).content.decode()
    assert preview.reference not in listing
    export = client.get(reverse("supervisor_cases_export", args=["csv"]))
    assert preview.reference not in b"".join(export.streaming_content).decode()
    overview = client.get(reverse("supervisor_dashboard")).context["overview"]
    assert not overview["started"] and not overview["abandoned"]
    assert client.get(reverse("supervisor_case", args=[preview.reference])).status_code == 404


def test_an_author_walks_only_their_previews(author_client, specialist):
    case = make_case(specialist)
    assert author_client.get(step_url(case)).status_code == 404


def test_revert_publishes_an_older_versions_words_as_a_new_version(author_client, author):
    edit_first_title(author_client)
    publish(author_client)
    response = author_client.post(reverse("flow_revert", args=[FLOW, 1]), {"note": "Too short."})
    assert response.status_code == 303
    latest = flow_content.latest_version(FLOW)
    assert (latest.number, latest.reverted_from, latest.edits, latest.note) == (3, 1, {}, "Too short.")
    assert flow_content.latest(FLOW).step(FIRST).title == OLD_TITLE
    assert AuditEntry.objects.filter(action="flow.revert", user=author).count() == 1


def test_revert_waits_for_an_open_draft(author_client):
    edit_first_title(author_client)
    publish(author_client)
    edit_first_title(author_client, "Yet another title")
    author_client.post(reverse("flow_revert", args=[FLOW, 1]))
    assert flow_content.latest_version(FLOW).number == 2


def test_compare_shows_two_versions_side_by_side(author_client):
    edit_first_title(author_client)
    publish(author_client)
    page = author_client.get(reverse("flow_compare", args=[FLOW]), {"a": 1, "b": 2})
    assert [(c.place, c.label, c.before, c.after) for c in page.context["changes"]] == [
        (f"Step “{OLD_TITLE}”", "title", OLD_TITLE, NEW_TITLE)]


def test_every_draft_save_publish_and_discard_writes_the_audit_trail(author_client, author):
    edit_first_title(author_client)
    publish(author_client)
    edit_first_title(author_client, "Again")
    author_client.post(reverse("flow_draft_discard", args=[FLOW]))
    actions = list(AuditEntry.objects.filter(user=author).order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["flow.draft_save", "flow.publish", "flow.draft_save", "flow.draft_discard"]


def test_the_changed_flow_notice_shows_once_per_specialist(author_client, specialist,
                                                           other_specialist):
    open_page = reverse("case_open", args=[FLOW])
    first, second = Client(), Client()
    first.force_login(specialist)
    second.force_login(other_specialist)
    for user, client in ((specialist, first), (other_specialist, second)):
        make_case(user)  # both used the flow before it changed: no notice then
        assert client.get(open_page).context["alert"] is None
    edit_first_title(author_client)
    publish(author_client, note="The first question is shorter.")

    alert = first.get(open_page).context["alert"]
    assert [(v.number, v.note, places) for v, places in alert.versions] == [
        (2, "The first question is shorter.", [f"Step “{NEW_TITLE}”"])]
    assert "This flow changed since you last used it" in first.get(open_page).content.decode()
    first.post(reverse("flow_alert_dismiss", args=[FLOW]), {"version": 2})
    assert first.get(open_page).context["alert"] is None
    assert second.get(open_page).context["alert"] is not None  # each specialist dismisses once


def test_a_specialist_new_to_a_flow_gets_no_notice(author_client, specialist, client):
    edit_first_title(author_client)
    publish(author_client)
    client.force_login(specialist)
    assert client.get(reverse("case_open", args=[FLOW])).context["alert"] is None


def test_a_code_change_shows_the_steps_it_touched_and_keeps_the_authors_edits(
        author_client, monkeypatch):
    edit_first_title(author_client)
    publish(author_client)
    code = registry.get(FLOW)
    topic = code.step("topic")
    changed = replace(code, steps=tuple(replace(s, text="A developer's new text.")
                                        if s.key == "topic" else s for s in code.steps))
    monkeypatch.setattr(registry, "_flows", [changed if f.key == FLOW else f
                                             for f in registry.all()])
    flow_content.forget()
    latest = flow_content.latest(FLOW)
    assert latest.step(FIRST).title == NEW_TITLE  # the author's edit is kept
    assert latest.step("topic").text == "A developer's new text."  # nobody edited it: the code's
    changes = flow_content.code_changes(changed, flow_content.latest_version(FLOW))
    assert [(c.place, c.label) for c in changes] == [(f"Step “{topic.title}”", "text")]
    page = author_client.get(reverse("flow_edit", args=[FLOW])).content.decode()
    assert "Changed in the code since version 2" in page


def test_a_template_keeps_the_placeholders_the_code_fills_in(author_client, db):
    flow = registry.get("ec-agent-cannot-see")
    code = flow.step("dropdown_incident").fixed["Incident text"]
    assert "{group_number}" in code
    for text, problem in [
        (code.replace("{group_number} ", ""), "keep the placeholder {group_number}"),
        (code + " {member}", "SupportDesk has no data for {member}"),
        (code + " {", "a “{” or “}” stands alone"),
    ]:
        content = flow_content.shown_content(flow, {"dropdown_incident": {
            "fixed.Incident text": text}})
        problems = flow_content.content_problems(flow, content)
        assert len(problems) == 1 and problem in problems[0], problems
    reworded = code.replace("The AOR is missing", "The agent of record cannot find")
    assert not flow_content.content_problems(flow, flow_content.shown_content(
        flow, {"dropdown_incident": {"fixed.Incident text": reworded}}))


def test_a_published_template_text_reaches_the_artifact(monkeypatch):
    import ec_access.flows.agent_troubleshooting as module
    from supportdesk.engine import FlowState

    step = registry.get("ec-agent-cannot-see").step("dropdown_incident")
    worded = step.with_texts({"fixed.Incident text": "Group {group_number} ({group_name}) is "
                              "missing from the MER dropdown."})
    monkeypatch.setattr(module, "group_of", lambda state: type(
        "Group", (), {"group_number": "824751", "name": "Acme"})())
    artifact = worded.arrive(FlowState()).artifact
    assert artifact["body"] == "Group 824751 (Acme) is missing from the MER dropdown."
