"""The flow authors' pages: the flows' words, the draft editor, preview, publish, versions.

The words live in flow_content.py; these views show and post them. The editor's form carries
the texts as it showed them (signed), so a save can tell an author's change from another
author's (flow_content.draft_save).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import feedback, flow_content, services
from ..engine import FLOW_TEXTS, OPTIONAL_TEXTS, Flow, Step, registry
from ..flow_content import ContentRefused, field_label
from ..http import AuthenticatedHttpRequest
from ..models import FlowVersion
from ..roles import Role, role_required

_SALT = "supportdesk.flow-editor"
# Texts shown as a box of lines (one item per line) rather than a line of text.
_LISTS = ("items", "procedure", "menu_path")
_LONG = ("text", "note", "summary")


def _flow(flow_key: str) -> Flow:
    flow = registry.get(flow_key)
    if flow is None:
        raise Http404("No such flow.")
    return flow


@dataclass
class EditorField:
    name: str  # the form field's name
    label: str
    value: Any
    is_list: bool
    long: bool
    required: bool
    code_value: Any  # the code's words, shown when the draft words it differently
    edited: bool
    code_changed: bool  # a developer changed the code's words since the version was published

    @property
    def shown(self) -> str:
        return "\n".join(self.value) if self.is_list else str(self.value)

    @property
    def code_shown(self) -> str:
        return "\n".join(self.code_value) if self.is_list else str(self.code_value)


@dataclass
class EditorSection:
    key: str  # for the anchor only
    title: str
    kind: str
    comes_from: list[tuple[str, str]]
    leads_to: list[tuple[str, str]]
    fields: list[EditorField] = field(default_factory=list)
    computed: list[tuple[str, str]] = field(default_factory=list)
    code_changed: bool = False

    @property
    def edited(self) -> bool:
        return any(f.edited for f in self.fields)


def _predecessors(flow: Flow) -> dict[str, list[str]]:
    before: dict[str, list[str]] = {}
    for step, edge in flow.edges():
        before.setdefault(edge.target, [])
        if step.key not in before[edge.target]:
            before[edge.target].append(step.key)
    return before


_COMPUTED_LABELS = {"text": "Text", "decide": "How it branches", "form": "Form",
                    "produce": "What it prepares", "waiting": "What it waits on",
                    "disposition": "Disposition"}


def _sections(flow: Flow, shown: flow_content.Content, baseline: flow_content.Content) -> list[EditorSection]:
    """The editor's fieldsets: the flow's own texts, then each step's in the flow's order."""
    code = flow_content.code_content(flow)
    worded = flow.worded(shown, flow.version)
    before = _predecessors(worded)
    title_of = {step.key: step.title for step in worded.steps}
    keys = [FLOW_TEXTS, *(step.key for step in flow.steps)]
    sections = []
    for index, key in enumerate(keys):
        step: Step | None = flow.step(key)
        if step is None:
            section = EditorSection(key="flow", title="The flow", kind="Title and summary",
                                    comes_from=[], leads_to=[])
        else:
            section = EditorSection(
                key=key, title=title_of[key], kind=step.label,
                comes_from=[(k, title_of[k]) for k in before.get(key, [])],
                leads_to=[(t, title_of.get(t, t)) for t in step.targets()],
                computed=[(_COMPUTED_LABELS.get(name, name), rule)
                          for name, rule in step.computed().items()])
        for name, value in shown[key].items():
            code_value = code[key][name]
            changed = baseline.get(key, {}).get(name, code_value) != code_value
            section.fields.append(EditorField(
                name=f"t{index}.{name}", label=field_label(step, name).capitalize(), value=value,
                is_list=isinstance(value, list), long=name in _LONG or isinstance(value, list),
                required=bool(code_value) and name not in OPTIONAL_TEXTS
                and not name.endswith(".help"),
                code_value=code_value, edited=value != code_value, code_changed=changed))
            section.code_changed |= changed
        sections.append(section)
    return sections


def _posted(flow: Flow, data: Any) -> dict[tuple[str, str], Any]:
    """The texts as the author sent them, by (step key, field): lines split, blank ones
    dropped; Windows line ends and trailing spaces gone."""
    keys = [FLOW_TEXTS, *(step.key for step in flow.steps)]
    code = flow_content.code_content(flow)
    posted: dict[tuple[str, str], Any] = {}
    for index, key in enumerate(keys):
        for name, code_value in code[key].items():
            raw = data.get(f"t{index}.{name}")
            if raw is None:
                continue
            text = raw.replace("\r\n", "\n").replace("\r", "\n")
            if isinstance(code_value, list):
                posted[(key, name)] = [line.strip() for line in text.split("\n") if line.strip()]
            else:
                posted[(key, name)] = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return posted


def _loaded(token: str) -> tuple[int, dict[tuple[str, str], Any]] | None:
    """The revision and the texts the form showed, from its signed token (None: not ours)."""
    try:
        revision, shown = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return revision, {(key, name): value for key, fields in shown.items()
                      for name, value in fields.items()}


@role_required(Role.FLOW_AUTHOR)
@require_GET
def content_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every flow with its latest version, its draft and what changed in the code since."""
    rows = []
    unanswered = feedback.open_counts()
    for flow in registry.all():
        version = flow_content.latest_version(flow.key)
        assert version is not None
        rows.append({"flow": flow, "version": version, "draft": flow_content.draft_of(flow.key),
                     "code_changes": len(flow_content.code_changes(flow, version)),
                     "unanswered": unanswered.get(flow.key, 0)})
    return render(request, "authoring/content_list.html", {"rows": rows})


@role_required(Role.FLOW_AUTHOR)
@require_http_methods(["GET", "POST"])
def editor(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = _flow(flow_key)
    conflicts: list[dict[str, Any]] = []
    if request.method == "POST":
        loaded = _loaded(request.POST.get("loaded", ""))
        if loaded is None:
            messages.error(request, "This form is out of date: the draft is shown afresh below. "
                           "Nothing was saved.")
        else:
            saved = flow_content.draft_save(flow_key=flow.key, user=request.user,
                                            loaded=loaded[1], posted=_posted(flow, request.POST))
            _tell(request, saved)
            conflicts = [{"place": flow_content.place_of(flow, key),
                          "label": field_label(flow.step(key), name), "theirs": theirs,
                          "yours": yours} for key, name, theirs, yours in saved.conflicts]
            if not conflicts:
                return HttpResponseRedirect(reverse("flow_edit", args=[flow.key]), status=303)
    return _editor_page(request, flow, conflicts)


def _tell(request: AuthenticatedHttpRequest, saved: flow_content.Saved) -> None:
    if saved.changed:
        messages.success(request, f"Draft saved: {len(saved.changed)} text(s) changed.")
    elif not saved.conflicts:
        messages.info(request, "Nothing changed: the draft is as it was.")
    if saved.kept_theirs:  # (the draft's last saver may be this author now: not named)
        messages.info(request, f"Other authors changed {saved.kept_theirs} other text(s) since you "
                      "opened the editor: they are kept, and shown below.")
    if saved.conflicts:
        messages.warning(request, f"{len(saved.conflicts)} text(s) were not saved: another author "
                         "changed them since you opened the editor. Their words are kept; yours "
                         "are listed at the top to copy in again if they should win.")


def _editor_page(request: AuthenticatedHttpRequest, flow: Flow,
                 conflicts: list[dict[str, Any]]) -> HttpResponse:
    version = flow_content.latest_version(flow.key)
    assert version is not None
    draft = flow_content.draft_of(flow.key)
    edits = draft.edits if draft else version.edits
    shown = flow_content.shown_content(flow, edits)
    token = signing.dumps([draft.revision if draft else 0, shown], salt=_SALT, compress=True)
    worded = flow.worded(edits, version.number)
    return render(request, "authoring/editor.html", {
        "flow": worded, "version": version, "draft": draft, "token": token,
        "revision": draft.revision if draft else 0,
        "sections": _sections(flow, shown, version.baseline),
        "code_changes": flow_content.code_changes(flow, version),
        "conflicts": conflicts,
    })


@role_required(Role.FLOW_AUTHOR)
@require_GET
def draft_status(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    """Polled by the open editor: says when someone saved the draft since it was loaded (asked
    outside htmx, it is the editor itself)."""
    flow = _flow(flow_key)
    if not request.htmx:
        return HttpResponseRedirect(reverse("flow_edit", args=[flow.key]))
    draft = flow_content.draft_of(flow.key)
    try:
        revision = int(request.GET.get("revision", "0"))
    except ValueError:
        revision = 0
    newer = draft is not None and draft.revision > revision
    gone = draft is None and revision > 0
    return render(request, "authoring/editor.html#draft-status",
                  {"flow": flow, "draft": draft, "newer": newer, "gone": gone,
                   "revision": revision})


@role_required(Role.FLOW_AUTHOR)
@require_POST
def draft_discard(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = _flow(flow_key)
    try:
        flow_content.draft_discard(flow_key=flow.key, user=request.user)
    except ContentRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The draft of {flow.title} was discarded.")
    return HttpResponseRedirect(reverse("flow_edit", args=[flow.key]), status=303)


@role_required(Role.FLOW_AUTHOR)
@require_POST
def preview(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    """Walk the draft as a specialist would, in a preview case counted nowhere."""
    flow = _flow(flow_key)
    draft = flow_content.draft_of(flow.key)
    if draft is None:
        messages.error(request, "There is no draft to preview: save a change first.")
        return HttpResponseRedirect(reverse("flow_edit", args=[flow.key]), status=303)
    worded = flow.worded(draft.edits, draft.base_version)
    case = services.case_open(flow=worded, user=request.user, preview=True)
    return HttpResponseRedirect(reverse("case_step", args=[case.reference, case.current_step]),
                                status=303)


@role_required(Role.FLOW_AUTHOR)
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = _flow(flow_key)
    version = flow_content.latest_version(flow.key)
    assert version is not None
    draft = flow_content.draft_of(flow.key)
    if draft is None:
        messages.error(request, "There is no draft to publish: edit the flow first.")
        return HttpResponseRedirect(reverse("flow_edit", args=[flow.key]), status=303)
    shown = flow_content.shown_content(flow, draft.edits)
    # Asked before the author writes a note; a POST gets publish()'s own refusal instead.
    problems = flow_content.content_problems(flow, shown) if request.method == "GET" else []
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            published = flow_content.publish(flow_key=flow.key, user=request.user, note=note)
        except ContentRefused as error:
            problems = error.problems
        else:
            messages.success(request, f"{flow.title} version {published.number} is published: "
                             "new cases show it; open cases keep the version they started on.")
            return HttpResponseRedirect(reverse("flow_versions", args=[flow.key]), status=303)
    changes = flow_content.differences(flow, flow_content.shown_content(flow, version.edits),
                                       shown)
    return render(request, "authoring/publish.html", {
        "flow": flow, "version": version, "draft": draft, "changes": changes,
        "problems": problems, "note": note,
    }, status=422 if request.method == "POST" else 200)


@role_required(Role.FLOW_AUTHOR)
@require_GET
def versions(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = _flow(flow_key)
    flow_content.latest_version(flow.key)  # version 1 exists once anyone looks
    rows = list(FlowVersion.objects.filter(flow_key=flow.key).select_related("published_by")
                .order_by("-number"))
    return render(request, "authoring/versions.html", {
        "flow": flow, "versions": rows, "draft": flow_content.draft_of(flow.key)})


def _number(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@role_required(Role.FLOW_AUTHOR)
@require_GET
def compare(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    """Two versions side by side: every text that differs, each as that version showed it."""
    flow = _flow(flow_key)
    flow_content.latest_version(flow.key)  # version 1 exists once anyone looks
    found = {v.number: v for v in FlowVersion.objects.filter(flow_key=flow.key)}
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    latest = max(found) if found else 1
    a = a if a in found else max(latest - 1, 1)
    b = b if b in found else latest
    if a not in found or b not in found:
        raise Http404("No such version.")
    changes = flow_content.differences(flow, found[a].shown(), found[b].shown())
    return render(request, "authoring/compare.html", {
        "flow": flow, "a": found[a], "b": found[b], "changes": changes,
        "numbers": sorted(found, reverse=True)})


@role_required(Role.FLOW_AUTHOR)
@require_POST
def revert(request: AuthenticatedHttpRequest, flow_key: str, number: int) -> HttpResponse:
    flow = _flow(flow_key)
    try:
        version = flow_content.revert(flow_key=flow.key, user=request.user, number=number,
                                      note=request.POST.get("note", ""))
    except ContentRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version.number} is published with the words of "
                         f"version {number}.")
    return HttpResponseRedirect(reverse("flow_versions", args=[flow.key]), status=303)


@role_required(Role.SPECIALIST)
@require_POST
def alert_dismiss(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    """The specialist has read what changed in the flow: the notice is not shown again."""
    flow = _flow(flow_key)
    version = _number(request.POST.get("version"))
    latest = flow_content.latest_version(flow.key)
    if version is None or latest is None or not 1 <= version <= latest.number:
        messages.error(request, "That notice is out of date; the latest changes are shown.")
    else:
        flow_content.alert_dismiss(request.user, flow.key, version)
    return HttpResponseRedirect(reverse("case_open", args=[flow.key]), status=303)
