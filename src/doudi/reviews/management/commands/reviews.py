"""doudi reviews scan --region CODE --as-of YYYY-MM-DD [--user NAME] [--chunk N]

Creates the review tasks due in a jurisdiction (定期核查, death checks). Safe to run twice or after a crash: a
finished scan returns at once, an interrupted one resumes after the last stored chunk."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doudi.core.errors import DomainError


class Command(BaseCommand):
    help = "动态管理：扫描生成到期核查任务（可重复执行、可断点续跑）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("scan", help="扫描生成到期核查任务")
        s.add_argument("--region", required=True, help="县或乡镇12位区划代码")
        s.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD，默认今天")
        s.add_argument("--user", help="操作人用户名（须有该辖区权限）；不填为系统")
        s.add_argument("--chunk", type=int, default=None)

    def handle(self, *args, **o):
        from doudi.accounts.models import User
        from doudi.reviews.services import review_scan

        try:
            as_of = dt.date.fromisoformat(o["as_of"]) if o.get("as_of") else timezone.localdate()
            actor = User.objects.get(username=o["user"]) if o.get("user") else None

            def progress(scan):
                self.stdout.write(f"  {scan.done_count}/{scan.total_count} 待遇, 新建 {scan.created_count} 项")

            s = review_scan(actor=actor, region_code=o["region"], as_of=as_of, chunk_size=o["chunk"],
                            progress=progress)
        except (DomainError, User.DoesNotExist, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"scan {s.pk} {s.get_state_display()}: {s.done_count}/{s.total_count} 待遇, "
                          f"新建核查任务 {s.created_count} 项")
