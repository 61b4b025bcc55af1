"""``{% step_feedback_box case step %}``: the "Report a problem with this step" box under a
case's step (templates/feedback/report_box.html), empty; a refused report comes back from
supportdesk/views/feedback.py with its own form."""

from __future__ import annotations

from typing import Any

from django import template

from ..engine import Step
from ..forms import StepFeedbackForm
from ..models import Case

register = template.Library()


@register.inclusion_tag("feedback/report_box.html", takes_context=True)
def step_feedback_box(context: template.Context, case: Case, step: Step) -> dict[str, Any]:
    return {"case": case, "step": step, "feedback_form": StepFeedbackForm(),
            "feedback_sent": False, "csrf_token": context.get("csrf_token")}
