"""doudi statistics refresh [--day YYYY-MM-DD] [--chunk N] [--enqueue]

Refreshes the aggregates the home pages read (per region and day). Resumable: an interrupted refresh is finished
first, after its last stored chunk; progress is printed per chunk."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "统计汇总：刷新各区划的统计数字（可断点续跑）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("refresh", help="刷新统计数字")
        s.add_argument("--day", default=None, help="YYYY-MM-DD，默认今天")
        s.add_argument("--chunk", type=int, default=None, help="每批区划数")
        s.add_argument("--enqueue", action="store_true", help="交给后台任务（doudi db_worker）执行")

    def handle(self, *args, **o):
        from doudi.statistics.services import DEFAULT_CHUNK, statistics_refresh
        from doudi.statistics.tasks import refresh_statistics

        try:
            day = dt.date.fromisoformat(o["day"]) if o.get("day") else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{o['day']}") from exc
        if o["enqueue"]:
            result = refresh_statistics.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        chunk = o.get("chunk") or DEFAULT_CHUNK
        if chunk < 1:
            raise CommandError("--chunk 须为正整数")

        def progress(r):
            self.stdout.write(f"  {r.done_count}/{r.total_count} 区划")

        r = statistics_refresh(day=day, chunk=chunk, progress=progress)
        self.stdout.write(f"统计 {r.pk}（{r.day}）完成：{r.done_count} 个区划，截至 {r.finished_at:%Y-%m-%d %H:%M}")
