"""doudi payroll generate --region CODE --month YYYY-MM --program dibao [--user NAME]

Creates the payroll if needed and generates (or resumes generating) it. Safe to run twice or after a crash."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doudi.core.errors import DomainError


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
        from doudi.payments.models import Payroll
        from doudi.payments.services import _month

        try:
            month = _month(o["month"])
            if o.get("user"):
                from doudi.payments.services import payroll_create

                actor = User.objects.get(username=o["user"])
                payroll = payroll_create(actor=actor, region_code=o["region"], program=o["program"], month=month)
            else:  # operator on the server: no web user, audited as "system"
                actor = None
                payroll, _c = Payroll.objects.get_or_create(region_id=o["region"], program=o["program"],
                                                            month=month, batch=1)
            p = payroll_generate(payroll_id=payroll.pk, actor=actor, chunk_size=o["chunk"])
        except (DomainError, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"payroll {p.pk}: {p.done_count}/{p.total_count} 待遇, {p.line_count} 笔, "
                          f"{p.total_fen / 100:.2f} 元")
