"""Jurisdiction scoping, NetBox style: ``Model.objects.restrict(user, action)`` fails closed.

A scoped model names, in ``scope_path``, the lookup from itself to the 12-digit region code of the village its data
belongs to (e.g. ``"region_id"`` for a household). The user's grants for roles that allow ``action`` become an OR of
prefix matches on that code. Anonymous users, inactive users, users without grants and unknown actions get
``none()``. Superuser status grants nothing by itself: administrators act through an explicit grant.

Models whose rows hang off a person (evidence) name ``person_path`` instead; they are in scope when the person has
ever been a member of a household in scope.

Who belongs to which household is the registry's knowledge, and ``accounts`` sits below ``registry``: the registry
hands it over at start-up (``RegistryConfig.ready`` calls ``use_households``), so this module never imports it.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet

from doudi.accounts.choices import Role
from doudi.accounts.permissions import role_allows
from doudi.regions.choices import PREFIX_LENGTH


def user_grants(user) -> list:
    """The user's grants with their regions, read once per request (the user object lives for one request) and
    shared by the scoping below and the page shell (``web.context``)."""
    grants = getattr(user, "_doudi_grant_rows", None)
    if grants is None:
        grants = user._doudi_grant_rows = list(user.grants.select_related("region"))
    return grants


def region_prefixes(user, action: str) -> list[str]:
    """Code prefixes of every region where ``user`` holds a role that allows ``action``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_doudi_grants", None)
    if cache is None:
        cache = [(g.role, g.region_id[: PREFIX_LENGTH[g.region.level]]) for g in user_grants(user)]
        user._doudi_grants = cache
    prefixes = {prefix for role, prefix in cache if role_allows(role, action)}
    # A grant on a parent makes one on a child redundant: keep the shortest prefixes only.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def allows(user, action: str, region_code: str) -> bool:
    """May ``user`` take ``action`` on data filed under ``region_code``? (The single-object form of ``restrict``.)"""
    return bool(region_code) and any(region_code.startswith(p) for p in region_prefixes(user, action))


CODE_LENGTH = 12


def prefix_range(prefix: str) -> tuple[str, str]:
    """The codes under ``prefix`` as an inclusive range: ``prefix`` … ``prefix`` + 9s up to 12 digits.

    Region codes are 12 digits, so "starts with the prefix" and "lies in this range" select the same codes; the range
    is what the planner turns into an index range scan on any collation (``LIKE 'p%'`` needs C collation or a
    pattern index), and several grants stay several ranges instead of a scan of the whole index."""
    return prefix, prefix + "9" * (CODE_LENGTH - len(prefix))


def _merged(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring ranges as one (two adjacent counties are one stretch of codes): fewer index scans, and the
    planner's row estimate stays right (it multiplies the selectivities of overlapping conditions)."""
    out: list[tuple[str, str]] = []
    for lo, hi in sorted(ranges):
        if out and int(lo.ljust(CODE_LENGTH, "0")) <= int(out[-1][1]) + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def region_q(path: str, prefixes: list[str]) -> Q | None:
    """One indexed range per prefix on the code at ``path`` (neighbouring ones merged), OR-ed: PostgreSQL reads
    them as a BitmapOr of index range scans."""
    if not prefixes:
        return None
    q = Q()
    for lo, hi in _merged([prefix_range(p) for p in prefixes]):
        q |= Q(**{f"{path}__gte": lo, f"{path}__lte": hi})
    return q


def region_span(user, action: str) -> tuple[str, str] | None:
    """The first and last code of the user's ranges for ``action`` when they are several, apart in the code; None for
    one range (or none).

    Not a scope (it covers the codes between the grants too): a list sorted by region code adds it only as the bound
    where an index scan starts. Without it, the last page of a user with counties 01 and 03 read the index backwards
    from the end of the city, past every household of the counties above 03 (4 s at a million households); with it
    the scan starts at county 03's last code. Only for several ranges: added to a single range, PostgreSQL multiplies
    the two selectivities and underestimates the rows."""
    ranges = _merged([prefix_range(p) for p in region_prefixes(user, action)])
    if len(ranges) < 2:
        return None
    return ranges[0][0], ranges[-1][1]


def applicant_person_id(user, action: str) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.person_id and role_allows(Role.APPLICANT, action):
        return user.person_id
    return None


class Households(Protocol):
    """Household membership, as scoping needs it: each method returns a one-column subquery of ids."""

    def of_person(self, person_id: int) -> QuerySet:
        """Households the person is or ever was a member of."""
        ...

    def members_of(self, households: QuerySet) -> QuerySet:
        """Persons who are or ever were members of these households."""
        ...

    def members_in(self, prefixes: list[str]) -> QuerySet:
        """Persons who are or ever were members of a household filed under one of these region-code prefixes."""
        ...

    def member_when(self, prefixes: list[str], person_path: str, date_path: str):
        """A condition on a dated row: its person was a member of a household under these prefixes on or before
        the row's ``date_path`` and had not left by then (a fact that began after they left is not the old
        area's)."""
        ...


_households: Households | None = None


def use_households(source: Households) -> None:
    """Called once by the registry app at start-up."""
    global _households
    _households = source


def _membership() -> Households:
    if _households is None:  # fails loudly, never open: without it person-scoped rows could not be limited
        raise ImproperlyConfigured("scoping needs the registry app's household membership (RegistryConfig.ready)")
    return _households


class RestrictedQuerySet(models.QuerySet):
    """Scoped models set one of:

    - ``scope_path``: forward lookup to the village region code (plus ``household_path`` to the household id, so an
      applicant can see their own household's rows);
    - ``person_path``: forward lookup to a person id (in scope when that person is or was a member of a household in
      scope); a dated row also names ``fact_date_path`` (its start date) and is then in scope only where its person
      was a member when the fact began: a former member's later records are not shown to the old area (issue 9).
    Only forward foreign keys are followed and memberships are matched by subquery, so rows are never duplicated.
    """

    def restrict(self, user, action: str = "view"):
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
                conditions.append(Q(**{f"{household_path}__in": _membership().of_person(person_id)}))
        elif person_path is not None:
            date_path = getattr(model, "fact_date_path", None)
            if prefixes and date_path:
                conditions.append(_membership().member_when(prefixes, person_path, date_path))
            elif prefixes:
                conditions.append(Q(**{f"{person_path}__in": _membership().members_in(prefixes)}))
            if person_id is not None:
                membership = _membership()
                housemates = membership.members_of(membership.of_person(person_id))
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
