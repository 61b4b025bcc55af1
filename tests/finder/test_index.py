"""The index is built from the flow registry alone, and rebuilt when the flows' words change."""

from __future__ import annotations

import dataclasses

import pytest
from django import forms

from finder import index, search
from finder.models import FlowIndex, FlowSearchEntry
from supportdesk.engine import (
    Check,
    Choice,
    Disposition,
    FlowState,
    FormStep,
    Instruction,
    Outcome,
    Question,
    registry,
)
from tests.supportdesk.flows_for_tests import tiny_flow

pytestmark = pytest.mark.django_db


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label="How did the caller reach us?", help_text="Ask them.",
                                choices=[("", "—"), ("fax", "By fax machine")])


def agent_support_text(state: FlowState) -> str:
    topic = state.answer("topic") or "anything"
    return f"For {topic}, write to helpdesk@example.org or call 1-800-555-0199."


def text_needing_the_case(state: FlowState) -> str:
    return f"Case {state.case.reference}"  # no case without one: AttributeError


def text_reading_the_database(state: FlowState) -> str:
    return f"{FlowSearchEntry.objects.count()} entries"


def finder_test_flow(title: str = "Walrus enquiries") -> object:
    return tiny_flow(key="walrus", title=title, summary="When a walrus calls.", source="The Walrus Book", steps=(
        Question(key="ask", title="Which tusk?", text="Look at the tusks.", choices=(
            Choice("left", "The left tusk", next="form", help="Seen from the front"),
            Choice("right", "The right tusk", next="form"),
        ), note="REMINDER: be gentle."),
        FormStep(key="form", title="How they reached us", form_class=ContactForm, next="size"),
        Check(key="size", title="Hidden check about flippers", decide=lambda s: "big",
              branches={}),
        Instruction(key="menu", title="Open the ledger", items=("Bring a bucket",),
                    procedure=("Open it", "Sign it"), menu_path=("Ledger", "Walruses"), next="done"),
        Outcome(key="dynamic", title="Write to the help desk", text=agent_support_text,
                disposition=Disposition.REFERRED),
        Outcome(key="needs_case", title="About this case", text=text_needing_the_case,
                disposition=Disposition.ANSWERED),
        Outcome(key="reads_db", title="Counting", text=text_reading_the_database,
                disposition=Disposition.ANSWERED),
        Outcome(key="done", title="Done", disposition=Disposition.ANSWERED),
    ))


def test_it_holds_one_entry_per_flow_and_per_step_shown_after_migrate():
    expected = index.build_documents(registry.all())
    assert FlowSearchEntry.objects.count() == len(expected)
    assert FlowIndex.objects.get().fingerprint == index.fingerprint(expected)
    flows = {flow.key for flow in registry.all()}
    assert set(FlowSearchEntry.objects.filter(step_key="").values_list("flow_key", flat=True)) == flows
    checks = {(flow.key, step.key) for flow in registry.all() for step in flow.steps
              if isinstance(step, Check)}
    assert checks and not checks & set(FlowSearchEntry.objects.values_list("flow_key", "step_key"))


def test_it_reads_every_word_a_step_shows():
    documents = {document.step_key: document for document in index.flow_documents(finder_test_flow())}
    assert documents[""].heading == "Walrus enquiries"
    assert "When a walrus calls." in documents[""].body and "The Walrus Book" in documents[""].body
    ask = documents["ask"].body
    for words in ("Look at the tusks.", "The left tusk", "Seen from the front", "The right tusk",
                  "REMINDER: be gentle."):
        assert words in ask
    form = documents["form"].body
    assert "How did the caller reach us?" in form and "Ask them." in form and "By fax machine" in form
    assert "—" not in form  # the empty choice
    menu = documents["menu"].body
    assert all(words in menu for words in ("Bring a bucket", "Open it", "Sign it", "Ledger > Walruses"))
    assert "size" not in documents  # an automatic check is never shown


def test_it_keeps_only_the_contacts_of_a_text_written_per_case():
    documents = {document.step_key: document for document in index.flow_documents(finder_test_flow())}
    assert documents["dynamic"].body == "helpdesk@example.org · 1-800-555-0199"
    assert documents["needs_case"].body == ""
    assert documents["reads_db"].body == ""  # no query is run to write it


def test_it_stores_words_and_digits_for_the_fallback():
    entry = next(document.entry() for document in index.flow_documents(finder_test_flow())
                 if document.step_key == "dynamic")
    assert " helpdesk " in entry.words and " example " in entry.words
    assert " 18005550199 " in entry.digits
    assert entry.keywords == "helpdesk example org"


def test_it_reindexes_when_a_flow_is_reworded(monkeypatch):
    before = FlowIndex.objects.get().fingerprint
    flows = [*registry.all(), finder_test_flow()]
    monkeypatch.setattr(registry, "_flows", flows)
    assert [m.flow.key for m in search.find("walrus")] == ["walrus"]
    assert FlowIndex.objects.get().fingerprint != before

    reworded = dataclasses.replace(finder_test_flow(title="Narwhal enquiries"))
    monkeypatch.setattr(registry, "_flows", [*flows[:-1], reworded])
    assert [m.flow.title for m in search.find("narwhal")] == ["Narwhal enquiries"]
    assert not FlowSearchEntry.objects.filter(heading="Walrus enquiries").exists()


def test_it_checks_the_stored_index_once_per_process(django_assert_num_queries):
    search.find("agent")
    # The latest version numbers (a publish rewords the flows and re-indexes), the search.
    with django_assert_num_queries(2):
        search.find("agent")


def test_it_rebuilds_nothing_when_the_wording_is_the_same():
    built_at = FlowIndex.objects.get().built_at
    assert index.rebuild() is False
    assert FlowIndex.objects.get().built_at == built_at


def test_a_published_wording_is_found_by_the_next_search(author):
    from supportdesk import flow_content

    assert not search.find("xylophone")
    title = ("sale_stage", "title")
    flow_content.draft_save(flow_key="arsos-routing", user=author, loaded={
        title: "Is this a pre-sale or a post-sale question?"}, posted={
        title: "Xylophone pre-sale or post-sale?"})
    flow_content.publish(flow_key="arsos-routing", user=author, note="A new title.")
    found = search.find("xylophone")
    assert [(m.flow.key, m.flow.version) for m in found] == [("arsos-routing", 2)]
