"""The finder's only writes: a specialist's favourites. A personal list of flows, holding no
case or member data, so it is not in the audit trail (the row names its user)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from .models import FavouriteFlow


def favourite_add(*, user: User, flow_key: str) -> None:
    """Star a flow; starring it twice (a double click, two tabs) leaves one row."""
    try:
        with transaction.atomic():
            FavouriteFlow.objects.get_or_create(user=user, flow_key=flow_key)
    except IntegrityError:  # the same star from another request at the same moment
        pass


def favourite_remove(*, user: User, flow_key: str) -> None:
    FavouriteFlow.objects.filter(user=user, flow_key=flow_key).delete()
