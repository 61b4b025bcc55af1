"""RoleBackend: ModelBackend's answers, with the user's permissions read with the user."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from supportdesk.backends import RoleBackend
from supportdesk.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (AuthenticationMiddleware asks the backend)."""
    return RoleBackend().get_user(user.pk)


def test_it_loads_the_users_roles_with_the_user(specialist, django_assert_num_queries):
    own = Permission.objects.get(codename=Role.SUPERVISOR.codename)
    specialist.user_permissions.add(own)  # a permission of the user's own, beside the group's
    fresh(specialist).get_all_permissions()  # permission names are read once per process
    with django_assert_num_queries(1):
        user = fresh(specialist)
        assert user.get_all_permissions() == {Role.SPECIALIST.permission, Role.SUPERVISOR.permission}
        assert user_has_role(user, Role.SPECIALIST) and user_has_role(user, Role.SUPERVISOR)
        assert not user_has_role(user, Role.ACCESS_MANAGEMENT)


def test_it_reads_the_roles_of_a_user_loaded_elsewhere_in_one_query(
    specialist, django_assert_num_queries
):
    user = get_user_model().objects.get(pk=specialist.pk)  # e.g. the one authenticate() returns
    with django_assert_num_queries(1):
        assert user.get_all_permissions() == {Role.SPECIALIST.permission}


def test_it_takes_a_role_away_from_the_next_request(specialist):
    assert user_has_role(fresh(specialist), Role.SPECIALIST)
    specialist.groups.clear()
    assert not user_has_role(fresh(specialist), Role.SPECIALIST)
    assert not user_has_role(get_user_model().objects.get(pk=specialist.pk), Role.SPECIALIST)


def test_it_names_a_permission_added_after_the_names_were_read(specialist):
    assert fresh(specialist).get_all_permissions() == {Role.SPECIALIST.permission}
    added = Permission.objects.create(
        codename="bench_new", name="New", content_type=ContentType.objects.get_for_model(Permission))
    specialist.user_permissions.add(added)
    assert fresh(specialist).get_all_permissions() == {Role.SPECIALIST.permission, "auth.bench_new"}


def test_it_gives_a_superuser_every_role_and_an_inactive_user_none(specialist):
    boss = get_user_model().objects.create_superuser("boss", password="x-long-password-1")
    assert all(user_has_role(fresh(boss), role) for role in Role)
    specialist.is_active = False
    specialist.save()
    assert fresh(specialist) is None  # refused at sign-in time, like ModelBackend
    user = get_user_model().objects.get(pk=specialist.pk)
    assert user.get_all_permissions() == set()
    assert not user_has_role(user, Role.SPECIALIST)


def test_it_gives_a_user_in_no_role_nothing_and_no_user_for_an_unknown_id(outsider):
    assert fresh(outsider).get_all_permissions() == set()
    assert RoleBackend().get_user(10**9) is None
