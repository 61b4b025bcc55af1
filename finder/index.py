"""The search index, built from the flow registry: one entry per flow and per step a specialist
stands on, holding the words that step shows (its text, bullet points, procedure, menu path,
note, choices, form labels), and the e-mail addresses, web addresses and phone numbers it names.

The registry's flows, as their latest published versions word them (supportdesk.flow_content),
are the only source. The entries are rebuilt after every migrate and whenever that wording
differs from what they were built from (its fingerprint, a hash of every indexed text): a deploy
or a publish that rewords a flow re-indexes on its first search; the check costs the one query
for the latest version numbers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from supportdesk import flow_content
from supportdesk.engine import Flow, FlowState, FormStep, Outcome, Question, Step

from . import text
from .models import FlowIndex, FlowSearchEntry

INDEX_NAME = "flows"


@dataclass(frozen=True)
class Document:
    """One entry as the registry gives it, before it is stored."""

    flow_key: str
    step_key: str
    position: int
    heading: str
    body: str

    @property
    def keywords(self) -> str:
        return text.address_words(f"{self.heading}\n{self.body}")

    def entry(self) -> FlowSearchEntry:
        whole = f"{self.heading}\n{self.body}"
        return FlowSearchEntry(
            flow_key=self.flow_key, step_key=self.step_key, position=self.position,
            heading=self.heading[:300], body=self.body, keywords=self.keywords,
            words=text.word_column(whole), digits=text.digit_column(whole),
        )


class _NoQueries(Exception):
    pass


def _refuse_queries(*args: Any, **kwargs: Any) -> Any:
    raise _NoQueries


def _dynamic_contacts(step: Step) -> str:
    """A text computed per case can say anything about that case; the index keeps only the
    addresses and phone numbers it names without one (Agent Support's, say). A text that needs
    the case or the database to be written gives nothing."""
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(_refuse_queries):
            written = step.render_text(FlowState())
    except Exception:  # noqa: BLE001  (any failure: the text needs a case)
        return ""
    return " · ".join(text.contacts(written)) if isinstance(written, str) else ""


def _form_words(form_class: type[forms.Form]) -> list[str]:
    words: list[str] = []
    for form_field in form_class.base_fields.values():
        words += [str(form_field.label or ""), str(form_field.help_text or "")]
        words += [str(label) for _value, label in getattr(form_field, "choices", ()) if _value != ""]
    return words


def step_body(step: Step) -> str:
    """Every word the step shows that does not depend on the case, in the order shown."""
    parts: list[str] = []
    if isinstance(step.text, str):
        parts.append(step.text)
    elif callable(step.text):
        parts.append(_dynamic_contacts(step))
    parts += step.items
    parts += step.procedure
    if step.menu_path:
        parts.append(" > ".join(step.menu_path))
    parts.append(step.note)
    if isinstance(step, Question):
        for choice in step.choices:
            parts += [choice.label, choice.help]
    if isinstance(step, FormStep):
        parts += _form_words(step.form_class)
    if isinstance(step, Outcome):
        parts.append(step.follow_on_label)
    return "\n".join(part.strip() for part in parts if part and part.strip())


def flow_documents(flow: Flow) -> list[Document]:
    documents = [Document(flow.key, "", 0, flow.title, "\n".join(
        part for part in (flow.summary, flow.source) if part))]
    for position, step in enumerate(flow.steps, start=1):
        if not step.interactive:  # an automatic check: never shown, so never searched for
            continue
        documents.append(Document(flow.key, step.key, position, step.title, step_body(step)))
    return documents


def build_documents(flows: Iterable[Flow]) -> list[Document]:
    return [document for flow in flows for document in flow_documents(flow)]


def fingerprint(documents: Iterable[Document]) -> str:
    payload = json.dumps([asdict(document) for document in documents], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# The registry's documents, worked out once per set of registered flows; and, per database,
# the fingerprint the stored entries were last seen to have.
_lock = threading.Lock()
_documents: tuple[tuple[int, ...], list[Document], str] | None = None
_verified: dict[str, str] = {}


def current(flows: list[Flow] | None = None) -> tuple[list[Document], str]:
    """The documents of ``flows`` (by default every flow as its latest version words it) and
    their fingerprint (cached while the flows are the same)."""
    global _documents
    flows = flow_content.latest_all() if flows is None else flows
    identity = tuple(id(flow) for flow in flows)
    with _lock:
        if _documents is None or _documents[0] != identity:
            documents = build_documents(flows)
            _documents = (identity, documents, fingerprint(documents))
        return _documents[1], _documents[2]


def rebuild(using: str = DEFAULT_DB_ALIAS, *, force: bool = False) -> bool:
    """Store the registry's entries unless they are already stored; True when it wrote."""
    documents, wanted = current()
    with transaction.atomic(using=using):
        # The lock makes two processes that both found the index out of date write it once.
        state = FlowIndex.objects.using(using).select_for_update().filter(pk=INDEX_NAME).first()
        if state is not None and state.fingerprint == wanted and not force:
            _verified[using] = wanted
            return False
        FlowSearchEntry.objects.using(using).all().delete()
        FlowSearchEntry.objects.using(using).bulk_create(document.entry() for document in documents)
        FlowIndex.objects.using(using).update_or_create(
            pk=INDEX_NAME, defaults={"fingerprint": wanted, "built_at": timezone.now()})
    _verified[using] = wanted
    return True


def ensure_fresh(using: str = DEFAULT_DB_ALIAS, flows: list[Flow] | None = None) -> None:
    """Re-index when the flows' wording (``current``) is not the one stored."""
    _, wanted = current(flows)
    if _verified.get(using) == wanted:
        return
    stored = FlowIndex.objects.using(using).filter(pk=INDEX_NAME).values_list(
        "fingerprint", flat=True).first()
    if stored == wanted:
        _verified[using] = wanted
        return
    with contextlib.suppress(IntegrityError):  # the very first build, by another process at once
        rebuild(using)


def forget() -> None:
    """Forget what this process knows of the stored index (tests that flush or roll back)."""
    _verified.clear()


def rebuild_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from django.db import connections

    from supportdesk.models import FlowVersion

    # The published words are read from FlowVersion: a migrate back to before its table
    # leaves the index to the first search after the next migrate forward.
    if FlowVersion._meta.db_table in connections[using].introspection.table_names():
        rebuild(using)
