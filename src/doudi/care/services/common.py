"""Helpers the care services share: scoped lookups that fail closed, the person's current household, the engine's
care tier for a person."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.models import Household, Membership, Person

if TYPE_CHECKING:
    from doudi.accounts.models import User


def person_household(actor: User, *, person: Person | int, day: dt.date, action: str = Action.CHANGE) -> Household:
    """The household the person belongs to on ``day``, if it is in the actor's scope for ``action``."""
    pk = getattr(person, "pk", person)
    member = (Membership.objects.filter(person_id=pk).as_of(day).select_related("household__region")
              .order_by("-valid_from").first())
    if member is None or not Household.objects.restrict(actor, action).filter(pk=member.household_id).exists():
        raise NotFoundOrForbidden(_("未找到该人员，或不在您的辖区内"))
    return member.household


def engine_tier(evaluation, *, person_id: int) -> str:
    """The engine's care tier for one person on a stored evaluation ('' when the engine did not state one)."""
    for p in (evaluation.result or {}).get("persons") or []:
        if str(p.get("id")) == str(person_id):  # the stored result keeps ids as text
            return p.get("care_tier") or ""
    return ""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)
