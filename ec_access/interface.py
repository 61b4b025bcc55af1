"""What other apps may use of EC access: the employer group and how to find one by number.

Noyo sync connects an employer group to Noyo (its connection rows point at the group), so it
needs the group; it imports this module only, never ec_access's models or services, and
tests/supportdesk/test_architecture.py holds every app to that.
"""

from __future__ import annotations

from .models import EmployerGroup

__all__ = ["EmployerGroup", "employer_group", "has_employer_group"]


def employer_group(group_number: str) -> EmployerGroup | None:
    return EmployerGroup.objects.filter(group_number=group_number).first()


def has_employer_group(group_number: str) -> bool:
    return EmployerGroup.objects.filter(group_number=group_number).exists()
