"""Background tasks (django-tasks database backend; ``doudi db_worker`` runs them). Just another interface to
``lowincome_refresh`` and ``monitoring_run``: safe to enqueue twice, and a stopped run resumes from its cursor."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


def _actor(actor_id: int | None):
    from doudi.accounts.models import User

    return User.objects.filter(pk=actor_id).first() if actor_id else None


@task()
def run_monitoring(region_code: str, as_of: str, engine: str = "duckdb", actor_id: int | None = None) -> dict:
    from doudi.monitoring.job.run import monitoring_run
    from doudi.monitoring.services import lowincome_refresh

    actor, day = _actor(actor_id), dt.date.fromisoformat(as_of)
    refreshed = lowincome_refresh(actor=actor, region_code=region_code, as_of=day)
    run = monitoring_run(actor=actor, region_code=region_code, as_of=day, engine=engine)
    return {"run": run.pk, "state": run.state, "screened": refreshed.screened, "hits": run.total_count,
            "created": run.created_count}


@task()
def resume_monitoring(run_id: int, actor_id: int | None = None) -> dict:
    from doudi.monitoring.job.run import monitoring_run

    run = monitoring_run(actor=_actor(actor_id), run_id=run_id)
    return {"run": run.pk, "state": run.state, "done": run.done_count, "total": run.total_count}
