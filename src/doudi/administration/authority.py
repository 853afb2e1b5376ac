"""Who may administer what (系统管理), scoped like data.

An administrator acts only inside the regions of their own ``administrator`` grants, and never on themselves:

- **users**: an account whose area (``User.region``) and every grant lie inside the administrator's regions, that is
  not their own, not an installation superuser, and not a peer: an account holding an administrator grant is managed
  from a level above it, never by someone at the same level;
- **grants**: any role at or below the administrator's region, except the administrator role, which may be granted
  only strictly below it (a county administrator makes township administrators, never another county one);
- **region attributes** (name, 城乡, policy profile): by an administrator of a region strictly above, so a county's
  attributes belong to the city and a village's to its township or county; nobody changes their own region;
- **office particulars** (办理机关名称, 监督投诉电话, 文号机关代字 — what notices and public pages print): by an
  administrator of the region itself or of one above it, so a county administrator keeps its own office's letterhead
  and those of the townships and villages below, never the city's.

Every check fails closed: no administrator grant, no rights. Reads and writes both go through these functions.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from doudi.accounts.choices import Action, Role
from doudi.accounts.models import RegionGrant, User
from doudi.accounts.scoping import region_prefixes
from doudi.regions.choices import PREFIX_LENGTH
from doudi.regions.models import Region


def admin_prefixes(actor: User) -> list[str]:
    return region_prefixes(actor, Action.ADMINISTER)


def is_area_administrator(actor: User) -> bool:
    return bool(admin_prefixes(actor))


def _levels_below(prefix: str) -> list[str]:
    return [level for level, length in PREFIX_LENGTH.items() if length > len(prefix)]


def may_grant(actor: User, region: Region, role: str) -> bool:
    """May ``actor`` give (or take away) ``role`` in ``region``?"""
    if role not in Role.values or role == Role.APPLICANT:
        return False
    for prefix in admin_prefixes(actor):
        if not region.code.startswith(prefix):
            continue
        if role != Role.ADMINISTRATOR or len(region.prefix) > len(prefix):
            return True
    return False


def _grantable_q(prefixes: list[str], path: str = "") -> Q:
    """Grants ``actor`` could have made: any role inside a prefix, the administrator role strictly below it."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{path}region__code__startswith": prefix}) & (
            ~Q(**{f"{path}role": Role.ADMINISTRATOR}) | Q(**{f"{path}region__level__in": _levels_below(prefix)})
        )
    return q


def manageable_users(actor: User) -> QuerySet:
    """Accounts ``actor`` may manage (see the module docstring). Empty without an administrator grant."""
    prefixes = admin_prefixes(actor)
    if not prefixes:
        return User.objects.none()
    in_area = Q(pk__in=[])
    for prefix in prefixes:
        in_area |= Q(region__code__startswith=prefix)
    # An account with no area yet is found through its grants (created by an installation superuser).
    in_area |= Q(region__isnull=True, pk__in=RegionGrant.objects.values("user_id"))
    foreign = RegionGrant.objects.exclude(_grantable_q(prefixes)).values("user_id")
    return (
        User.objects.filter(in_area)
        .exclude(pk=actor.pk)
        .exclude(is_superuser=True)
        .exclude(pk__in=foreign)
        .select_related("region")
    )


def may_manage(actor: User, user: User) -> bool:
    return manageable_users(actor).filter(pk=user.pk).exists()


def manageable_regions(actor: User) -> QuerySet:
    """Regions in ``actor``'s administrator grants, theirs included: where they may place users and grants."""
    prefixes = admin_prefixes(actor)
    if not prefixes:
        return Region.objects.none()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(code__startswith=prefix)
    return Region.objects.filter(q).order_by("code")


def owned_regions(actor: User) -> QuerySet:
    """Regions whose attributes ``actor`` may change: strictly below one of their administrator grants."""
    prefixes = admin_prefixes(actor)
    if not prefixes:
        return Region.objects.none()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(code__startswith=prefix, level__in=_levels_below(prefix))
    return Region.objects.filter(q).order_by("code")


def owns_region(actor: User, region: Region) -> bool:
    return any(region.code.startswith(p) and len(region.prefix) > len(p) for p in admin_prefixes(actor))


def office_regions(actor) -> QuerySet:
    """Regions whose office particulars ``actor`` may keep: their administrator regions and everything below."""
    prefixes = admin_prefixes(actor)
    if not prefixes:
        return Region.objects.none()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(code__startswith=prefix)
    return Region.objects.filter(q).order_by("code")


def keeps_office(actor, region: Region) -> bool:
    return any(region.code.startswith(p) for p in admin_prefixes(actor))
