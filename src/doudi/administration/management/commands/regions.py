"""doudi regions apply-due [--as-of YYYY-MM-DD]

Applies the confirmed changes of region attributes (城乡, policy profile) whose date has come. Run it daily; running
it twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "区划属性：使已复核、到生效日期的变更生效（可重复执行）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("apply-due", help="使到期的区划属性变更生效")
        s.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD，默认今天")

    def handle(self, *args, **o):
        from doudi.administration.region_services import region_changes_apply_due

        try:
            as_of = dt.date.fromisoformat(o["as_of"]) if o.get("as_of") else None
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        applied = region_changes_apply_due(as_of=as_of)
        self.stdout.write(f"区划属性变更生效 {applied} 项")
