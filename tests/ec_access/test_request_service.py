"""ec_request_create: the only way a specialist queues an EC request; every refusal saves nothing."""

from __future__ import annotations

import pytest

from ec_access.models import ECRequest
from ec_access.services import ECRequestRefused, ec_request_create
from tests.ec_access.conftest import WEDNESDAY
from tests.ec_access.make import make_eligible_group, make_group, make_product, make_sl_app

pytestmark = pytest.mark.django_db


def create(group, sl_app, user, expedited=False):
    return ec_request_create(group=group, sl_app=sl_app, expedited=expedited, user=user, today=WEDNESDAY)


def test_it_queues_the_report_functions(specialist):
    group, sl_app = make_eligible_group()
    request = create(group, sl_app, specialist)
    assert (request.state, request.source, request.ec_identifier) == ("queued", "specialist", "1177334")
    assert request.business_functions == ["7125", "7126", "8581"]


def test_it_refuses_a_blank_report(specialist):
    group = make_group()
    make_product(group, "dental")
    with pytest.raises(ECRequestRefused, match="DO NOT send blank reports"):
        create(group, make_sl_app(group), specialist)
    assert not ECRequest.objects.exists()


def test_it_refuses_a_report_without_an_ec_number_without_calling_it_blank(specialist):
    # "The Access Management team will add the EC# and the business functions to the Employer
    # SL App": with 8581 the report is not blank, but there is no EC# to add.
    group = make_group(ec_number="")
    make_product(group, "medical", includes_go365=False)
    with pytest.raises(ECRequestRefused, match="cannot be sent .* no EC#") as refused:
        create(group, make_sl_app(group), specialist)
    assert "blank" not in str(refused.value)
    assert not ECRequest.objects.exists()


@pytest.mark.parametrize("kind", ["agency", "pseudo"])
def test_it_refuses_agent_and_pseudo_apps(specialist, kind):
    group, _ = make_eligible_group()
    with pytest.raises(ECRequestRefused, match="Do NOT add EC Identifiers to Agent SL applications or pseudo apps"):
        create(group, make_sl_app(None, kind), specialist)
    assert not ECRequest.objects.exists()


def test_it_refuses_a_second_ec_on_an_app(specialist):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "9999999"
    sl_app.save()
    with pytest.raises(ECRequestRefused, match="already has EC 9999999. Only ONE EC per SL application"):
        create(group, sl_app, specialist)


def test_it_refuses_when_everything_is_already_granted(specialist):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "1177334"
    sl_app.save()
    sl_app.business_functions.set(sl_app.business_functions.model.objects.filter(code__in=["7125", "7126", "8581"]))
    with pytest.raises(ECRequestRefused, match="every business function"):
        create(group, sl_app, specialist)


def test_it_queues_the_missing_functions_when_the_ec_is_there(specialist):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "1177334"
    sl_app.save()
    assert create(group, sl_app, specialist).business_functions == ["7125", "7126", "8581"]


def test_it_refuses_a_second_open_request(specialist):
    group, sl_app = make_eligible_group()
    first = create(group, sl_app, specialist)
    with pytest.raises(ECRequestRefused, match=f"EC request #{first.pk} .* is already queued"):
        create(group, sl_app, specialist, expedited=True)
    assert ECRequest.objects.count() == 1
