"""Reads of admin-entered policy values."""

from __future__ import annotations

from django.db.models import QuerySet

from doudi.policy.models import PolicyValue


def policy_value_list(*, profile: str) -> QuerySet[PolicyValue]:
    """The rows in force for a profile: confirmed by a second person (oldest first, so later rows get a higher
    rank and win). A row awaiting confirmation changes nothing."""
    return PolicyValue.objects.filter(profile=profile, confirmed_at__isnull=False).order_by("created_at", "id")


def policy_value_pending() -> QuerySet[PolicyValue]:
    """Rows entered and not yet confirmed by a second person."""
    return PolicyValue.objects.filter(confirmed_at__isnull=True).order_by("created_at", "id")
