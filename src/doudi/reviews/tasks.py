"""Background task: the review scan with the django-tasks database backend (``doudi db_worker`` runs it).

Just another interface to ``review_scan``: safe to enqueue twice or to re-run after a crash."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def scan_reviews(region_code: str, as_of: str, actor_id: int | None = None) -> dict:
    from doudi.accounts.models import User
    from doudi.reviews.services import review_scan

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    s = review_scan(actor=actor, region_code=region_code, as_of=dt.date.fromisoformat(as_of))
    return {"state": s.state, "done": s.done_count, "total": s.total_count, "created": s.created_count}
