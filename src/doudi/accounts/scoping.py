"""Jurisdiction scoping, NetBox style: ``Model.objects.restrict(user, action)`` fails closed.

A scoped model names, in ``scope_path``, the lookup from itself to the 12-digit region code of the village its data
belongs to (e.g. ``"region_id"`` for a household). The user's grants for roles that allow ``action`` become an OR of
prefix matches on that code. Anonymous users, inactive users, users without grants and unknown actions get
``none()``. Superuser status grants nothing by itself: administrators act through an explicit grant.

Models whose rows hang off a person (evidence) name ``person_path`` instead; they are in scope when the person has
ever been a member of a household in scope.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from doudi.accounts.choices import Role
from doudi.accounts.permissions import role_allows
from doudi.regions.choices import PREFIX_LENGTH


def region_prefixes(user, action: str) -> list[str]:
    """Code prefixes of every region where ``user`` holds a role that allows ``action``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_doudi_grants", None)
    if cache is None:
        cache = [
            (g.role, g.region_id[: PREFIX_LENGTH[g.region.level]]) for g in user.grants.select_related("region").all()
        ]
        user._doudi_grants = cache
    prefixes = {prefix for role, prefix in cache if role_allows(role, action)}
    # A grant on a parent makes one on a child redundant: keep the shortest prefixes only.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def allows(user, action: str, region_code: str) -> bool:
    """May ``user`` take ``action`` on data filed under ``region_code``? (The single-object form of ``restrict``.)"""
    return bool(region_code) and any(region_code.startswith(p) for p in region_prefixes(user, action))


def region_q(path: str, prefixes: list[str]) -> Q | None:
    if not prefixes:
        return None
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{path}__startswith": prefix})
    return q


def applicant_person_id(user, action: str) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.person_id and role_allows(Role.APPLICANT, action):
        return user.person_id
    return None


class RestrictedQuerySet(models.QuerySet):
    """Scoped models set one of:

    - ``scope_path``: forward lookup to the village region code (plus ``household_path`` to the household id, so an
      applicant can see their own household's rows);
    - ``person_path``: forward lookup to a person id (in scope when that person is or was a member of a household in
      scope).
    Only forward foreign keys are followed and memberships are matched by subquery, so rows are never duplicated.
    """

    def restrict(self, user, action: str = "view"):
        from doudi.registry.models import Membership

        model = self.model
        prefixes = region_prefixes(user, action)
        person_id = applicant_person_id(user, action)
        conditions: list[Q] = []

        scope_path = getattr(model, "scope_path", None)
        person_path = getattr(model, "person_path", None)
        if scope_path is not None:
            q = region_q(scope_path, prefixes)
            if q is not None:
                conditions.append(q)
            household_path = getattr(model, "household_path", None)
            if person_id is not None and household_path is not None:
                own = Membership.objects.filter(person_id=person_id).values("household_id")
                conditions.append(Q(**{f"{household_path}__in": own}))
        elif person_path is not None:
            q = region_q("household__region__code", prefixes)
            if q is not None:
                conditions.append(Q(**{f"{person_path}__in": Membership.objects.filter(q).values("person_id")}))
            if person_id is not None:
                own = Membership.objects.filter(person_id=person_id).values("household_id")
                housemates = Membership.objects.filter(household_id__in=own).values("person_id")
                conditions.append(Q(**{f"{person_path}__in": housemates}))
        else:  # pragma: no cover - a programming error, caught by the scoping test of every model
            raise TypeError(f"{model.__name__} has no scope_path or person_path")

        if not conditions:
            return self.none()
        combined = conditions[0]
        for q in conditions[1:]:
            combined |= q
        return self.filter(combined)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass
