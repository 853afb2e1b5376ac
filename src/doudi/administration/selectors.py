"""Reads for the administration screens, always through ``administration.authority`` (an administrator's area only)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from doudi.accounts.models import User
from doudi.administration import authority
from doudi.core.errors import NotFoundOrForbidden


def user_list(*, actor: User, query: str = "") -> QuerySet:
    qs = authority.manageable_users(actor)
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return qs.prefetch_related("grants__region").order_by("region_id", "username")


def user_get(*, actor: User, pk: int) -> User:
    """An account the actor may manage; anything else (their own included) is the same 404 as a missing one."""
    user = user_list(actor=actor).filter(pk=pk).first()
    if user is None:
        raise NotFoundOrForbidden("未找到该用户，或不在您的管理范围内")
    return user


def locked_usernames(usernames) -> set[str]:
    """Which of these user names are locked out now (django-axes, from any address)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def with_second_factor(user_ids) -> set[int]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True).values_list("user_id", flat=True))
