"""The seed's hard rules are refused by the models and the database, with the seed's words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ec_access.models import ECRequest, EmployerGroup, Product, SLApplication
from tests.ec_access.make import make_group, make_sl_app

pytestmark = pytest.mark.django_db

EC_ONLY_ON_EMPLOYER = (
    "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
)


def make_request(sl_app: SLApplication, **fields: object) -> ECRequest:
    fields = {"source": "specialist", "ec_identifier": "1177334",
              "business_functions": ["7125", "7126", "8581"], **fields}
    return ECRequest.objects.create(group=sl_app.group, sl_app=sl_app, **fields)


def employer_app(**fields: object) -> SLApplication:
    return make_sl_app(make_group("824751"), sl_app_number="5550001", **fields)


def errors_of(instance: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


@pytest.mark.parametrize("kind", ["agency", "pseudo"])
def test_it_refuses_an_ec_on_an_agent_or_pseudo_app_in_the_database(kind):
    sl_app = make_sl_app(None, kind, agent_san="8801234")

    with pytest.raises(IntegrityError, match="ec_identifier_only_on_employer_sl_app"):
        with transaction.atomic():
            SLApplication.objects.filter(pk=sl_app.pk).update(ec_identifier="1177334")

    sl_app.refresh_from_db()
    assert sl_app.ec_identifier == ""


@pytest.mark.parametrize("kind", ["agency", "pseudo"])
def test_it_refuses_an_ec_on_an_agent_or_pseudo_app_in_full_clean(kind):
    sl_app = make_sl_app(None, kind, agent_san="8801234")
    sl_app.ec_identifier = "1177334"

    assert errors_of(sl_app) == {"__all__": [EC_ONLY_ON_EMPLOYER]}
    assert SLApplication.objects.get(pk=sl_app.pk).ec_identifier == ""


def test_it_refuses_a_second_ec_on_an_sl_app():
    sl_app = employer_app(ec_identifier="1177334")
    sl_app.ec_identifier = "1999999"

    with pytest.raises(ValidationError) as refused:
        sl_app.save()

    assert refused.value.messages == [
        "SL app 5550001 already has EC 1177334. Only ONE EC per SL application: remove it "
        "before adding another."
    ]
    assert SLApplication.objects.get(pk=sl_app.pk).ec_identifier == "1177334"


def test_it_accepts_the_same_ec_again_and_its_removal():
    sl_app = employer_app(ec_identifier="1177334")

    sl_app.save()
    assert SLApplication.objects.get(pk=sl_app.pk).ec_identifier == "1177334"

    sl_app.ec_identifier = ""
    sl_app.save()
    assert SLApplication.objects.get(pk=sl_app.pk).ec_identifier == ""


def test_it_refuses_an_employer_app_without_a_group():
    sl_app = SLApplication(sl_app_number="5550001", kind="employer")

    assert errors_of(sl_app) == {"__all__": ["An employer SL app belongs to an employer group."]}
    with pytest.raises(IntegrityError, match="ec_employer_sl_app_has_group"), transaction.atomic():
        sl_app.save()
    assert not SLApplication.objects.exists()


def test_it_refuses_an_mtv_shell_on_an_mtv_group():
    shell = make_group("552310")
    group = make_group("552311", platform="MTV")
    group.mtv_shell = shell

    assert errors_of(group) == {"__all__": ["Only a CAS group has an MTV shell."]}
    with pytest.raises(IntegrityError, match="ec_group_only_cas_has_mtv_shell"), transaction.atomic():
        EmployerGroup.objects.filter(pk=group.pk).update(mtv_shell=shell)
    assert EmployerGroup.objects.get(pk=group.pk).mtv_shell is None


def test_it_refuses_a_shell_that_is_not_an_mtv_group():
    cas_shell = make_group("552310", platform="CAS")
    group = make_group("552311", platform="CAS")
    group.mtv_shell = cas_shell

    assert errors_of(group) == {"mtv_shell": ["The shell group must be an MTV group."]}


def test_it_refuses_a_product_that_ends_before_it_starts():
    product = Product(group=make_group(), product_type="medical",
                      active_from=dt.date(2025, 1, 1), active_to=dt.date(2024, 12, 31))

    assert errors_of(product) == {"__all__": ["A product cannot end before it starts."]}
    with pytest.raises(IntegrityError, match="ec_product_dates_in_order"), transaction.atomic():
        product.save()
    assert not Product.objects.exists()


def test_it_refuses_a_blank_ec_request():
    sl_app = employer_app()
    blank = ECRequest(source="specialist", group=sl_app.group, sl_app=sl_app,
                      ec_identifier="1177334", business_functions=[])

    # validate_constraints(), not full_clean(): the JSONField's own "cannot be blank" check
    # runs first and full_clean() then skips the constraint and the seed's wording.
    with pytest.raises(ValidationError) as refused:
        blank.validate_constraints()
    assert refused.value.messages == ["DO NOT send blank reports to Access Management."]
    with pytest.raises(IntegrityError, match="ec_request_not_blank"), transaction.atomic():
        blank.save()
    assert not ECRequest.objects.exists()


def test_it_refuses_two_open_requests_for_one_sl_app():
    sl_app = employer_app()
    make_request(sl_app, state="granted", decided_at=timezone.now())
    make_request(sl_app, state="queued")
    second = ECRequest(source="weekly_batch", group=sl_app.group, sl_app=sl_app,
                       ec_identifier="1177334", business_functions=["7125"], state="queued")

    assert errors_of(second) == {"__all__": ["This SL app already has an open EC request."]}
    with pytest.raises(IntegrityError, match="ec_request_one_open_per_sl_app"), transaction.atomic():
        second.save()
    assert ECRequest.objects.count() == 2


@pytest.mark.parametrize("number", ["82475", "824751234", "82475A"])
def test_it_refuses_a_bad_group_number(number):
    group = EmployerGroup(group_number=number, name="X", platform="MTV", fin_bus_segment_cd="T")

    messages = errors_of(group)["group_number"]
    assert "A group number is 6 to 8 digits, for example 824751." in messages


@pytest.mark.parametrize("number", ["555", "SL5550001", "1234567890123"])
def test_it_refuses_a_bad_sl_app_number(number):
    sl_app = SLApplication(sl_app_number=number, kind="agency")

    messages = errors_of(sl_app)["sl_app_number"]
    assert "An SL application number is 4 to 12 digits." in messages
