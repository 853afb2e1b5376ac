"""What every verification write starts with: the household locked and in the actor's scope for changes, and "no
authorisation, no query" (S3 Art 58: queries only at the family's request or entrustment)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.models import Household
from doudi.verification.errors import AuthorisationMissing
from doudi.verification.selectors import authorisations_complete

if TYPE_CHECKING:
    from doudi.accounts.models import User


def household_for_change(actor: User, *, household: Household) -> Household:
    locked = Household.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=household.pk).first()
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    return locked


def require_authorisations(household: Household, *, as_of: dt.date, include_supporters: bool) -> None:
    complete, missing = authorisations_complete(household=household, as_of=as_of, include_supporters=include_supporters)
    if not complete:
        raise AuthorisationMissing(missing, no_members=not missing)
