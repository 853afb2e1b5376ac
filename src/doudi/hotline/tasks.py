"""Background task: the daily overdue escalation (超时督办); safe to run twice (the level comes from the dates)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def escalate_tickets(today: str | None = None) -> dict:
    from django.utils import timezone

    from doudi.hotline.services import ticket_escalate_overdue

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return {"escalated": ticket_escalate_overdue(today=day)}
