"""doudi hotline escalate [--day YYYY-MM-DD] [--enqueue] — 超时督办: overdue tickets go under the level above.

Run it daily (cron or the task worker). Re-running the same day changes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "热线工单：超时督办（每天运行一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("escalate", help="超期工单提级督办")
        s.add_argument("--day", default=None, help="YYYY-MM-DD，默认今天")
        s.add_argument("--enqueue", action="store_true", help="交给后台任务（doudi db_worker）执行")

    def handle(self, *args, **o):
        from django.utils import timezone

        from doudi.hotline.services import ticket_escalate_overdue
        from doudi.hotline.tasks import escalate_tickets

        try:
            day = dt.date.fromisoformat(o["day"]) if o.get("day") else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{o['day']}") from exc
        if o["enqueue"]:
            result = escalate_tickets.enqueue(day.isoformat())
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        self.stdout.write(f"督办 {ticket_escalate_overdue(today=day)} 件超期工单")
