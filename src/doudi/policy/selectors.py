"""Reads of admin-entered policy values."""

from __future__ import annotations

from django.db.models import QuerySet

from doudi.policy.models import PolicyValue


def policy_value_list(*, profile: str) -> QuerySet[PolicyValue]:
    """All rows for a profile (oldest first, so later rows get a higher rank and win)."""
    return PolicyValue.objects.filter(profile=profile).order_by("created_at", "id")
