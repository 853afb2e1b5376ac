"""doudi payroll generate --region CODE --month YYYY-MM --program dibao [--user NAME]

Creates the payroll if needed and generates (or resumes generating) it. Safe to run twice or after a crash."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doudi.core.errors import DomainError
from doudi.core.money import fen_to_yuan


class Command(BaseCommand):
    help = "月度发放名册：生成（可重复执行、可断点续跑）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        g = sub.add_parser("generate", help="生成或续跑发放名册")
        g.add_argument("--region", required=True, help="县或乡镇12位区划代码")
        g.add_argument("--month", required=True, help="YYYY-MM")
        g.add_argument("--program", default="dibao")
        g.add_argument("--user", help="制单人用户名（须有该辖区权限）")
        g.add_argument("--chunk", type=int, default=None)

    def handle(self, *args, **o):
        from doudi.accounts.models import User
        from doudi.payments.generation import payroll_generate
        from doudi.payments.services import month_start, payroll_create

        try:
            month = month_start(o["month"])
            # Without --user: the operator on the server, no web user, audited as "system".
            actor = User.objects.get(username=o["user"]) if o.get("user") else None
            payroll = payroll_create(actor=actor, region_code=o["region"], program=o["program"], month=month)
            p = payroll_generate(payroll_id=payroll.pk, actor=actor, chunk_size=o["chunk"])
        except (DomainError, ValueError, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"payroll {p.pk}: {p.done_count}/{p.total_count} 待遇, {p.line_count} 笔, "
                          f"{fen_to_yuan(p.total_fen)} 元")
