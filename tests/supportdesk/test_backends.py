"""RoleBackend: ModelBackend's answers, the user's and the groups' permissions read in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from supportdesk.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it: no permission cache."""
    return get_user_model().objects.get(pk=user.pk)


def test_it_reads_a_users_roles_from_groups_and_own_permissions_in_one_query(
    specialist, django_assert_num_queries
):
    own = Permission.objects.get(codename=Role.SUPERVISOR.codename)
    specialist.user_permissions.add(own)
    user = fresh(specialist)
    with django_assert_num_queries(1):
        assert user.get_all_permissions() == {Role.SPECIALIST.permission, Role.SUPERVISOR.permission}
        assert user_has_role(user, Role.SPECIALIST) and user_has_role(user, Role.SUPERVISOR)
        assert not user_has_role(user, Role.ACCESS_MANAGEMENT)


def test_it_takes_a_role_away_from_the_next_request(specialist):
    assert user_has_role(fresh(specialist), Role.SPECIALIST)
    specialist.groups.clear()
    assert not user_has_role(fresh(specialist), Role.SPECIALIST)


def test_it_gives_a_superuser_every_role_and_an_inactive_user_none(specialist):
    boss = get_user_model().objects.create_superuser("boss", password="x-long-password-1")
    assert all(user_has_role(fresh(boss), role) for role in Role)
    specialist.is_active = False
    specialist.save()
    assert fresh(specialist).get_all_permissions() == set()
    assert not user_has_role(fresh(specialist), Role.SPECIALIST)


def test_it_gives_a_user_in_no_role_nothing(outsider):
    assert fresh(outsider).get_all_permissions() == set()
