"""Background task: generate a payroll with the django-tasks database backend (``doudi db_worker`` runs it).

The task is just another interface to ``payroll_generate``: safe to enqueue twice or to re-run after a crash."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_payroll(payroll_id: int, actor_id: int | None = None) -> dict:
    from doudi.accounts.models import User
    from doudi.payments.generation import payroll_generate

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    p = payroll_generate(payroll_id=payroll_id, actor=actor)
    return {"lines": p.line_count, "total_fen": p.total_fen, "done": p.done_count, "total": p.total_count}
