from __future__ import annotations

import pytest
from django.utils import timezone

from ec_access.queries import bf_report
from supportdesk import services
from supportdesk.models import Case
from tests.ec_access.make import make_eligible_group, make_group, make_product, make_sl_app
from tests.robustness.walk import answers_leading_to


@pytest.fixture
def ec_group(db):
    """The seed's sample group (eligible, its employer SL app without the EC yet), and a group
    whose SL app has the EC and every business function, for the troubleshooting flows."""
    group, _ = make_eligible_group(group_number="824751")
    granted = make_group("735190", ec_number="2288441")
    make_product(granted, "medical", includes_go365=True)
    functions = tuple(bf_report(granted, timezone.localdate()).business_functions)
    make_sl_app(granted, ec_identifier="2288441", functions=functions)
    return group


@pytest.fixture
def case_on_step(specialist, ec_group):
    """place(flow, step_key): the specialist's case standing on that step, with the answers that
    really lead there. One case per step for the whole test, put back on the step before each
    example (hypothesis runs every example of a test with the same fixtures)."""
    made: dict[tuple[str, str], Case] = {}

    def place(flow, step_key: str) -> Case:
        answers, path = answers_leading_to(specialist, flow, step_key)
        if (flow.key, step_key) not in made:
            made[(flow.key, step_key)] = services.case_open(flow=flow, user=specialist)
        pk = made[(flow.key, step_key)].pk
        Case.objects.filter(pk=pk).update(
            current_step=step_key, answers=answers, path=path, status=Case.Status.OPEN,
            closed_at=None, disposition="", outcome_key="", outcome_title="")
        return Case.objects.get(pk=pk)

    return place
