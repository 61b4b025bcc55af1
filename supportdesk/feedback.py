"""Feedback from the floor (issue 21): a specialist reports a problem with a step of the flow
they follow ("this number is wrong"), the flow's authors answer it and close it, and the
specialist reads the answer.

A report names the flow, the version the case follows and the step (its title as the case
showed it), never the case's member: like a case note, the text is refused when it holds what
looks like a member's name, ID or date of birth (phi.py), and so is an author's answer. Every
change of a report's status writes the audit trail in its own transaction; the audit summaries
name the report by number, flow and step, never its text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet

from . import clock, flow_content
from .audit import audit
from .engine import registry
from .models import Case, StepFeedback
from .phi import find_member_data

REPORT_MAX_LENGTH = StepFeedback._meta.get_field("text").max_length or 500
ANSWER_MAX_LENGTH = StepFeedback._meta.get_field("answer").max_length or 1000
_STEP_TITLE_LENGTH = StepFeedback._meta.get_field("step_title").max_length or 300

Status = StepFeedback.Status
# What the authors' list shows unless asked otherwise: what still wants their attention.
STILL_OPEN = (Status.OPEN, Status.ANSWERED)


class FeedbackRefused(Exception):
    """A report, answer or close that cannot be done as asked; the message says why, in the
    user's words, and never quotes what they typed."""


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()  # a line break is one character


def text_refusal(text: str, *, what: str, limit: int) -> str | None:
    """Why a report's or an answer's text cannot be kept (too long, or member data in it),
    without quoting it; None when it may be. Counted, never cut."""
    if len(text) > limit:
        return (f"This {what} is {len(text):,} characters; {'an' if what[0] in 'aeiou' else 'a'} "
                f"{what} holds at most {limit:,}. Shorten it: nothing was saved.")
    found = find_member_data(text, today=clock.today())
    return found.refusal(what) if found else None


def flow_title(flow_key: str) -> str:
    flow = registry.get(flow_key)
    return flow.title if flow else "A flow no longer in SupportDesk"


def _described(feedback: StepFeedback) -> str:
    return (f"Feedback #{feedback.pk} on {flow_title(feedback.flow_key)} version "
            f"{feedback.version}, step “{feedback.step_title}”")


# -- Writes -------------------------------------------------------------------------------------

def feedback_report(*, case: Case, user: User, step_key: str, text: str) -> StepFeedback:
    """The case's own specialist reports a problem with one of its flow's steps, as the case
    shows the flow (its version). Refused (FeedbackRefused, nothing saved) when the text is
    empty, too long or holds what looks like member data, when the user is not the case's
    specialist, or when the step is not in the flow the case follows."""
    text = _plain(text)
    if not text:
        raise FeedbackRefused("Say what is wrong with this step first.")
    if refusal := text_refusal(text, what="report", limit=REPORT_MAX_LENGTH):
        raise FeedbackRefused(refusal)
    if case.opened_by_id != user.pk:
        raise FeedbackRefused("Only the case's own specialist reports a problem on its steps.")
    flow = flow_content.for_case(case)
    step = flow.step(step_key) if flow else None
    if flow is None or step is None:
        raise FeedbackRefused("This step is no longer in the flow: nothing was sent.")
    with transaction.atomic():
        feedback = StepFeedback.objects.create(
            flow_key=case.flow_key, version=case.flow_version, step_key=step.key,
            step_title=step.title[:_STEP_TITLE_LENGTH], case=case, reported_by=user,
            reported_at=clock.now(), text=text)
        audit(user=user, action="flow.feedback_report", obj=feedback,
              summary=f"{_described(feedback)}: problem reported from {case.reference}.")
    return feedback


def _locked(feedback: StepFeedback) -> StepFeedback:
    return StepFeedback.objects.select_for_update().get(pk=feedback.pk)


def _refuse_unless(feedback: StepFeedback, action: StepFeedback.Action) -> None:
    if not feedback.can(action):
        raise FeedbackRefused(f"This report is {feedback.get_status_display().lower()}: it can no "
                              f"longer be {'answered' if action == 'answer' else 'closed'}.")


def feedback_answer(*, feedback: StepFeedback, user: User, text: str) -> StepFeedback:
    """An author answers a report (or changes their answer): the reporter is told of it on their
    home page until they read it. Refused (FeedbackRefused) when the report is closed, or the
    answer is empty, too long or holds what looks like member data."""
    text = _plain(text)
    if not text:
        raise FeedbackRefused("Type the answer first.")
    if refusal := text_refusal(text, what="answer", limit=ANSWER_MAX_LENGTH):
        raise FeedbackRefused(refusal)
    with transaction.atomic():
        feedback = _locked(feedback)
        _refuse_unless(feedback, "answer")
        changed = feedback.status == Status.ANSWERED
        feedback.status, feedback.answer = Status.ANSWERED, text
        feedback.answered_by, feedback.answered_at = user, clock.now()
        feedback.answer_seen_at = None  # a changed answer is news again
        feedback.save(update_fields=["status", "answer", "answered_by", "answered_at",
                                     "answer_seen_at"])
        audit(user=user, action="flow.feedback_answer", obj=feedback,
              summary=f"{_described(feedback)}: {'answer changed' if changed else 'answered'}.")
    return feedback


def feedback_close(*, feedback: StepFeedback, user: User) -> StepFeedback:
    """An author closes a report (answered or not): it leaves the authors' default list; its
    reporter still reads it, with the answer if there is one."""
    with transaction.atomic():
        feedback = _locked(feedback)
        _refuse_unless(feedback, "close")
        was = feedback.get_status_display().lower()
        feedback.status, feedback.closed_at = Status.CLOSED, clock.now()
        feedback.save(update_fields=["status", "closed_at"])
        audit(user=user, action="flow.feedback_close", obj=feedback,
              summary=f"{_described(feedback)}: closed (it was {was}).")
    return feedback


def feedback_answer_seen(*, user: User) -> list[int]:
    """The reporter opened their reports: every answer is read. Returns the reports whose
    answer was news, for the page to mark. A read receipt, not a change of the report's status:
    no audit entry."""
    unseen = _unseen_answers(user)
    news = list(unseen.values_list("pk", flat=True))
    if news:
        StepFeedback.objects.filter(pk__in=news).update(answer_seen_at=clock.now())
    return news


# -- Reading ------------------------------------------------------------------------------------

def _unseen_answers(user: User) -> QuerySet[StepFeedback]:
    return StepFeedback.objects.filter(reported_by=user, answered_at__isnull=False,
                                       answer_seen_at__isnull=True)


def unseen_answer_count(user: User) -> int:
    """How many of the user's reports have an answer they have not read yet."""
    return _unseen_answers(user).count()


def home_notice(user: User) -> dict[str, int]:
    """The home page's notice of new answers (a home_panels provider)."""
    return {"feedback_answers_unseen": unseen_answer_count(user)}


def open_counts() -> dict[str, int]:
    """The number of reports nobody has answered yet, by flow key (flows with none left out):
    for the authors' list of flows."""
    rows = (StepFeedback.objects.filter(status=Status.OPEN).order_by()
            .values_list("flow_key").annotate(n=Count("pk")))
    return dict(rows)


def counts_by_status() -> dict[str, dict[str, int]]:
    """{flow key: {status: number of reports}}, for the authors' overview."""
    counts: dict[str, dict[str, int]] = {}
    rows = StepFeedback.objects.order_by().values_list("flow_key", "status").annotate(n=Count("pk"))
    for flow_key, status, n in rows:
        counts.setdefault(flow_key, {})[status] = n
    return counts


def of_flow(flow_key: str, *, version: int | None = None,
            statuses: Iterable[str] = STILL_OPEN) -> QuerySet[StepFeedback]:
    """A flow's reports, newest first: of one version or all, in the given statuses."""
    reports = StepFeedback.objects.filter(flow_key=flow_key, status__in=list(statuses))
    if version is not None:
        reports = reports.filter(version=version)
    return reports.select_related("reported_by", "answered_by", "case")


def versions_reported(flow_key: str) -> list[int]:
    """The versions of the flow that have reports, newest first."""
    return list(StepFeedback.objects.filter(flow_key=flow_key).order_by("-version")
                .values_list("version", flat=True).distinct())


def reports_of(user: User) -> QuerySet[StepFeedback]:
    """The user's own reports, newest first."""
    return StepFeedback.objects.filter(reported_by=user).select_related("answered_by")
