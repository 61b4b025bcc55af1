"""The flows as their authors word them: published versions, the draft, and which version a
case follows.

The code declares every flow (its steps, branches and rules) and its words; those words are
version 1. An author edits a draft of the words (``Step.texts()``: titles, texts, items, menu
paths, notes, choice labels, button labels, the fixed parts of an e-mail template), previews
it, and publishes it as the next version. A version stores only the texts worded differently
from the code (``edits``) and the code's words at the time (``baseline``): a developer's later
change to the code reaches every text nobody edited, and shows the authors which steps it
touched, without losing their edits of the others.

A case follows the version it opened on (``Case.flow_version``); a new case takes the latest.
Versions never change once written, so each process keeps the flows it composed.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction

from . import clock
from .audit import audit
from .engine import FLOW_TEXTS, OPTIONAL_TEXTS, Flow, Step, registry
from .models import Case, FlowDraft, FlowSeen, FlowVersion

Content = dict[str, dict[str, Any]]  # {step key or FLOW_TEXTS: {field: text or list of lines}}

_composed: dict[tuple[str, int], Flow] = {}


class ContentRefused(Exception):
    """A draft cannot be saved or published as it stands; ``problems`` say why, in the
    author's words."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def forget() -> None:
    """Drop the composed flows this process keeps (tests whose database rolls back)."""
    _composed.clear()


# -- Reading: which words a case and a new case show -------------------------------------------

def _plain(content: Mapping[str, Mapping[str, Any]]) -> Content:
    """Content as JSON stores it: lists, not tuples."""
    return {key: {name: list(value) if isinstance(value, tuple) else value
                  for name, value in fields.items()} for key, fields in content.items()}


def code_content(flow: Flow) -> Content:
    return _plain(flow.content())


def _first_version(flow: Flow) -> FlowVersion:
    """Version 1, the code's own words (after migrate, or the first time anyone asks)."""
    try:
        with transaction.atomic():
            version, _ = FlowVersion.objects.get_or_create(
                flow_key=flow.key, number=1,
                defaults={"edits": {}, "baseline": code_content(flow),
                          "note": "The words of the flow as SupportDesk's code writes them.",
                          "published_at": clock.now()})
    except IntegrityError:  # another request wrote it first
        version = FlowVersion.objects.get(flow_key=flow.key, number=1)
    return version


def ensure_first_versions(using: str = "default", **kwargs: Any) -> None:
    """Version 1 of every registered flow, after each migrate (post_migrate): a fresh install
    shows the code's words as version 1, and no request has to write it."""
    from django.db import connections

    if FlowVersion._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the versions
    have = set(FlowVersion.objects.using(using).values_list("flow_key", flat=True).distinct())
    for flow in registry.all():
        if flow.key not in have:
            _first_version(flow)


def latest_version(flow_key: str) -> FlowVersion | None:
    """The flow's latest published version (version 1 written if there is none yet)."""
    flow = registry.get(flow_key)
    return _latest_of(flow) if flow is not None else None


def _latest_of(flow: Flow) -> FlowVersion:
    version = FlowVersion.objects.filter(flow_key=flow.key).order_by("-number").first()
    return version or _first_version(flow)


def _worded(flow: Flow, version: FlowVersion) -> Flow:
    key = (flow.key, version.number)
    if key not in _composed:
        _composed[key] = flow.worded(version.edits, version.number)
    return _composed[key]


def latest(flow_key: str) -> Flow | None:
    """The flow as its latest version words it: what a new case follows."""
    flow, version = registry.get(flow_key), latest_version(flow_key)
    return _worded(flow, version) if flow and version else None


def latest_all() -> list[Flow]:
    """Every registered flow as its latest version words it, in the registry's order: one
    query for the latest numbers (and one per version this process has not composed yet)."""
    from django.db.models import Max

    numbers = dict(FlowVersion.objects.values("flow_key").annotate(latest=Max("number"))
                   .values_list("flow_key", "latest"))
    flows = []
    for flow in registry.all():
        number = numbers.get(flow.key)
        worded = version_flow(flow.key, number) if number else None
        flows.append(worded or flow)  # no version yet: the code's words are version 1
    return flows


def version_flow(flow_key: str, number: int) -> Flow | None:
    """The flow as version ``number`` words it (None: no such flow or version)."""
    flow = registry.get(flow_key)
    if flow is None:
        return None
    if (flow_key, number) in _composed:
        return _composed[(flow_key, number)]
    version = FlowVersion.objects.filter(flow_key=flow_key, number=number).first()
    if version is None:
        return flow.worded({}, number) if number == 1 else None
    return _worded(flow, version)


def for_case(case: Case) -> Flow | None:
    """The flow as the case shows it: the version it opened on, or an author's draft for a
    preview case."""
    if case.preview:
        flow = registry.get(case.flow_key)
        draft = FlowDraft.objects.filter(flow_key=case.flow_key).first()
        if flow is None:
            return None
        return flow.worded(draft.edits, draft.base_version) if draft else latest(case.flow_key)
    return version_flow(case.flow_key, case.flow_version)


def shown_content(flow: Flow, edits: Mapping[str, Mapping[str, Any]]) -> Content:
    """Every text of ``flow`` as ``edits`` word it (the code's words elsewhere)."""
    return {key: {**fields, **{name: value for name, value in edits.get(key, {}).items()
                               if name in fields}}
            for key, fields in code_content(flow).items()}


def _edits_of(flow: Flow, content: Mapping[str, Mapping[str, Any]]) -> Content:
    """The texts of ``content`` worded differently from the code's."""
    code = code_content(flow)
    edits: Content = {}
    for key, fields in content.items():
        for name, value in fields.items():
            if key in code and name in code[key] and code[key][name] != value:
                edits.setdefault(key, {})[name] = value
    return edits


# -- The draft ---------------------------------------------------------------------------------

@dataclass
class Saved:
    """What a draft save did: the texts it changed, those it did not overwrite because
    another author changed them since the form was loaded (each with that author's words), and
    how many texts the other author changed meanwhile that this save kept."""

    draft: FlowDraft
    changed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # key, name, theirs, yours
    kept_theirs: int = 0


def draft_of(flow_key: str) -> FlowDraft | None:
    return FlowDraft.objects.filter(flow_key=flow_key).select_related("updated_by").first()


def draft_save(*, flow_key: str, user: User, loaded: Mapping[tuple[str, str], Any],
               posted: Mapping[tuple[str, str], Any]) -> Saved:
    """Save an author's edits to the flow's one draft (started from the latest version when
    there is none). ``loaded`` is each text as the author's form showed it, ``posted`` as they
    sent it. A text the author changed is saved unless someone saved a different one since the
    form was loaded: then theirs stays and this one is reported back, never silently lost."""
    flow = registry.get(flow_key)
    if flow is None:
        raise ContentRefused(["This flow no longer exists."])
    code = code_content(flow)
    with transaction.atomic():
        draft = FlowDraft.objects.select_for_update().filter(flow_key=flow_key).first()
        if draft is None:
            base = latest_version(flow_key)
            assert base is not None
            now = clock.now()
            draft = FlowDraft.objects.create(flow_key=flow_key, base_version=base.number,
                                             edits=base.edits, started_by=user, updated_by=user,
                                             updated_at=now, revision=0)
        current = shown_content(flow, draft.edits)
        saved = Saved(draft)
        edits = {key: dict(fields) for key, fields in draft.edits.items()}
        for (key, name), yours in posted.items():
            if key not in code or name not in code[key]:
                continue
            before, now_there = loaded.get((key, name)), current[key][name]
            if yours == before:
                saved.kept_theirs += now_there != before
                continue
            if now_there not in (before, yours):
                saved.conflicts.append((key, name, now_there, yours))
                continue
            if now_there == yours:
                continue
            saved.changed.append((key, name))
            if yours == code[key][name]:
                edits.get(key, {}).pop(name, None)
            else:
                edits.setdefault(key, {})[name] = yours
        if saved.changed or draft.revision == 0:
            draft.edits = {key: fields for key, fields in edits.items() if fields}
            draft.revision += 1
            draft.updated_by, draft.updated_at = user, clock.now()
            draft.save()
            audit(user=user, action="flow.draft_save", obj=draft,
                  summary=f"Draft of {flow.title} saved (revision {draft.revision}): "
                  f"{len(saved.changed)} text(s) changed.")
    return saved


def draft_discard(*, flow_key: str, user: User) -> None:
    with transaction.atomic():
        draft = FlowDraft.objects.select_for_update().filter(flow_key=flow_key).first()
        if draft is None:
            raise ContentRefused(["There is no draft to discard."])
        flow = registry.get(flow_key)
        audit(user=user, action="flow.draft_discard", obj=draft,
              summary=f"Draft of {flow.title if flow else flow_key} discarded "
              f"(revision {draft.revision}).")
        # Its previews keep their transcripts; they now show the latest version's words.
        draft.delete()


# -- Publishing --------------------------------------------------------------------------------

_EMAIL_LIKE = re.compile(r"[^\s<>()\[\]\"'“”‘’,;:]*@[^\s<>()\[\]\"'“”‘’,;:]*")
_URL_LIKE = re.compile(r"(?:https?://|www\.)[^\s<>\"'“”‘’]*", re.IGNORECASE)
_email_ok = EmailValidator()
_url_ok = URLValidator(schemes=["http", "https"])


def text_problems(text: str) -> list[str]:
    """What makes a text unpublishable besides being empty: an e-mail address or a web
    address that is malformed (each named as written)."""
    problems = []
    for found in _EMAIL_LIKE.findall(text):
        address = found.rstrip(".!?")
        try:
            _email_ok(address)
        except ValidationError:
            problems.append(f"“{address}” is not a valid e-mail address.")
    for found in _URL_LIKE.findall(text):
        address = found.rstrip(".,;:!?)")
        try:
            _url_ok(address if "://" in address else "http://" + address)
        except ValidationError:
            problems.append(f"“{address}” is not a valid web address.")
    return problems


def _placeholders(text: str) -> set[str] | None:
    """The "{name}" placeholders of a template text (None: its braces do not parse)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def placeholder_problems(code_text: str, text: str) -> list[str]:
    """A template text must keep exactly the placeholders the code fills in."""
    wanted, found = _placeholders(code_text) or set(), _placeholders(text)
    if found is None:
        return ["a “{” or “}” stands alone: placeholders are written like {group_number}."]
    problems = []
    if missing := sorted(wanted - found):
        problems.append("keep the placeholder" + "s" * (len(missing) > 1) + " "
                        + ", ".join(f"{{{name}}}" for name in missing)
                        + ": SupportDesk fills in the data there.")
    if unknown := sorted(found - wanted):
        problems.append("SupportDesk has no data for " + ", ".join(f"{{{n}}}" for n in unknown)
                        + "; the placeholders it fills are "
                        + (", ".join(f"{{{n}}}" for n in sorted(wanted)) or "none") + ".")
    return problems


def field_label(step: Step | None, name: str) -> str:
    """A text's name as the editor shows it."""
    fixed = {"title": "title", "text": "text", "items": "bullet points",
             "procedure": "numbered procedure", "menu_path": "menu path", "note": "note",
             "summary": "summary", "continue_label": "button", "submit_label": "button",
             "resume_label": "button", "follow_on_label": "follow-on button"}
    if name in fixed:
        return fixed[name]
    kind, _, rest = name.partition(".")
    part, _, what = rest.rpartition(".")
    if kind == "choice":
        choices = [c.value for c in getattr(step, "choices", ())]
        number = choices.index(part) + 1 if part in choices else "?"
        return f"answer {number} {'help' if what == 'help' else 'label'}"
    if kind == "branch":
        return "branch label"
    if kind == "fixed":
        return f"template text “{rest}”"
    return name


def place_of(flow: Flow, key: str) -> str:
    """A step (or the flow's own texts) as an author reads it: by its title."""
    if key == FLOW_TEXTS:
        return "The flow"
    step = flow.step(key)
    return f"Step “{step.title}”" if step else "A step no longer in the flow"


def content_problems(flow: Flow, content: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Why ``content`` (every text of ``flow``) cannot be published: an empty text that must
    have words, a malformed address, or the system checks on the flow worded so."""
    from .checks import check_flow

    code = code_content(flow)
    problems = []
    for key, fields in content.items():
        step = flow.step(key)
        for name, value in fields.items():
            lines = value if isinstance(value, list) else [value]
            label = field_label(step, name)
            had_words = bool(code.get(key, {}).get(name))
            optional = name in OPTIONAL_TEXTS or name.endswith(".help")
            if had_words and not optional and not any(str(line).strip() for line in lines):
                problems.append(f"{place_of(flow, key)}: the {label} is empty.")
            for line in lines:
                problems.extend(f"{place_of(flow, key)}, {label}: {problem}"
                                for problem in text_problems(str(line)))
            if name.startswith("fixed."):
                problems.extend(f"{place_of(flow, key)}, {label}: {problem}" for problem in
                                placeholder_problems(str(code.get(key, {}).get(name, "")), str(value)))
    worded = flow.worded(content, flow.version)
    titles = {step.key: step.title for step in worded.steps}
    for error in check_flow(worded):
        # The check names steps by key; an author knows them by title.
        message = re.sub(r"^Flow '[^']*': ", "", str(error.msg))
        message = re.sub(r"step '([^']*)'",
                         lambda m: f"step “{titles.get(m.group(1), m.group(1))}”", message)
        problems.append(message[0].upper() + message[1:])
    return problems


def publish(*, flow_key: str, user: User, note: str) -> FlowVersion:
    """Publish the draft as the flow's next version, with the author's change note; refused
    (ContentRefused, nothing written) when a text is empty or malformed or the flow so worded
    fails the system checks."""
    note = note.strip()
    flow = registry.get(flow_key)
    if flow is None:
        raise ContentRefused(["This flow no longer exists."])
    with transaction.atomic():
        draft = FlowDraft.objects.select_for_update().filter(flow_key=flow_key).first()
        if draft is None:
            raise ContentRefused(["There is no draft to publish: edit the flow first."])
        version = _publish(flow, user, draft.edits, note, reverted_from=None)
        draft.delete()
    return version


def _publish(flow: Flow, user: User, edits: Mapping[str, Mapping[str, Any]], note: str, *,
             reverted_from: int | None) -> FlowVersion:
    if not note:
        raise ContentRefused(["Say in the change note what changed, for the specialists."])
    content = shown_content(flow, edits)
    if problems := content_problems(flow, content):
        raise ContentRefused(problems)
    latest_number = _latest_of(flow).number
    try:
        with transaction.atomic():  # a savepoint: the number may be taken by now
            version = FlowVersion.objects.create(
                flow_key=flow.key, number=latest_number + 1, edits=_edits_of(flow, content),
                baseline=code_content(flow), note=note[:500], published_by=user,
                published_at=clock.now(), reverted_from=reverted_from)
    except IntegrityError:
        raise ContentRefused([f"Someone published version {latest_number + 1} at the same "
                              "moment: look at the versions, then try again."]) from None
    if reverted_from:
        audit(user=user, action="flow.revert", obj=version, summary=f"{flow.title} version "
              f"{version.number} published with the words of version {reverted_from}: {note[:150]}")
    else:
        audit(user=user, action="flow.publish", obj=version,
              summary=f"{flow.title} version {version.number} published: {note[:150]}")
    return version


def revert(*, flow_key: str, user: User, number: int, note: str) -> FlowVersion:
    """Publish version ``number``'s words again, as the next version."""
    flow = registry.get(flow_key)
    if flow is None:
        raise ContentRefused(["This flow no longer exists."])
    with transaction.atomic():
        # The draft's row lock orders a revert with a publish of the same flow.
        if FlowDraft.objects.select_for_update().filter(flow_key=flow_key).exists():
            raise ContentRefused(["A draft of this flow is open: publish or discard it first, "
                                  "so that nobody's edits are lost."])
        old = FlowVersion.objects.filter(flow_key=flow_key, number=number).first()
        if old is None:
            raise ContentRefused([f"There is no version {number} of this flow."])
        if number == _latest_of(flow).number:
            raise ContentRefused([f"Version {number} is the latest already: nothing to revert."])
        return _publish(flow, user, old.edits, note or f"Back to the words of version {number}.",
                        reverted_from=number)


# -- Comparing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    key: str
    place: str
    label: str
    before: Any
    after: Any


def differences(flow: Flow, before: Content, after: Content) -> list[Change]:
    """Every text that differs between two wordings of ``flow``, in the flow's step order."""
    order = [FLOW_TEXTS, *(step.key for step in flow.steps)]
    keys = [key for key in order if key in before or key in after]
    keys += sorted((set(before) | set(after)) - set(keys))
    changes = []
    for key in keys:
        old, new = before.get(key, {}), after.get(key, {})
        for name in dict.fromkeys([*old, *new]):
            if old.get(name) != new.get(name):
                changes.append(Change(key, place_of(flow, key), field_label(flow.step(key), name),
                                      old.get(name), new.get(name)))
    return changes


def code_changes(flow: Flow, version: FlowVersion) -> list[Change]:
    """What a developer changed in the flow's words since ``version`` was published."""
    return differences(flow, version.baseline, code_content(flow))


# -- What a specialist is told ---------------------------------------------------------------

@dataclass(frozen=True)
class Alert:
    flow: Flow
    since: int
    versions: list[tuple[FlowVersion, list[str]]]  # each newer version, with its changed steps


def alert_for(user: User, flow: Flow) -> Alert | None:
    """The changes of ``flow`` (its latest version) since the user last used it or dismissed
    its notice; None when nothing changed, or when they never opened a case on it (the first
    case notes its version: ``note_first_use``). Reads only: a page shows it on any request."""
    seen = FlowSeen.objects.filter(user=user, flow_key=flow.key).first()
    if seen is None:
        return None
    if seen.version >= flow.version:
        return None
    # The version last seen and each newer one, in one read: each is compared with the one before.
    read = list(FlowVersion.objects.filter(flow_key=flow.key, number__gte=seen.version,
                                           number__lte=flow.version).order_by("number"))
    previous = read[0] if read and read[0].number == seen.version else None
    versions = []
    for version in read[1:] if previous else read:
        before = previous.shown() if previous else version.baseline
        places = dict.fromkeys(change.place for change in differences(flow, before,
                                                                       version.shown()))
        versions.append((version, list(places)))
        previous = version
    return Alert(flow, seen.version, versions)


def note_first_use(user: User, flow: Flow) -> None:
    """A case opened on ``flow``: the first time, the user has seen it as its version words it
    (later changes are told on its start page, until dismissed)."""
    FlowSeen.objects.get_or_create(user=user, flow_key=flow.key, defaults={"version": flow.version})


def alert_dismiss(user: User, flow_key: str, version: int) -> None:
    """The user has read the changes up to ``version``."""
    FlowSeen.objects.update_or_create(user=user, flow_key=flow_key,
                                      defaults={"version": version})

