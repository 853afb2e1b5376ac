"""``doudi monitoring refresh|run|resume|load`` — the low-income database, the matching job and department files
from the command line (docs/monitoring.md). Runs as the server operator ("system") unless ``--user`` is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doudi.core.errors import DomainError


def _user(name: str | None):
    if not name:
        return None
    from doudi.accounts.models import User

    user = User.objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"没有用户 {name}")
    return user


class Command(BaseCommand):
    help = "低收入人口动态监测：更新低收入人口库、运行比对、续跑、导入部门数据文件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("refresh", "run"):
            p = sub.add_parser(name)
            p.add_argument("--region", required=True, help="辖区区划代码（12位）")
            p.add_argument("--as-of", default="", help="基准日 YYYY-MM-DD（默认今天）")
            p.add_argument("--user", default=None)
            if name == "run":
                p.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
                p.add_argument("--no-refresh", action="store_true", help="不先更新低收入人口库")
        p = sub.add_parser("resume")
        p.add_argument("run_id", type=int)
        p.add_argument("--user", default=None)
        p = sub.add_parser("load")
        p.add_argument("file")
        p.add_argument("--feed", required=True)
        p.add_argument("--region", required=True)
        p.add_argument("--period", required=True, help="数据所属月份 YYYY-MM")
        p.add_argument("--user", required=True, help="报送人（须有该辖区的报送权限）")

    def handle(self, *args, action: str, **opts):
        try:
            getattr(self, f"_{action}")(opts)
        except DomainError as exc:
            for line in getattr(exc, "errors", []):
                self.stderr.write(line)
            raise CommandError(exc.message) from None

    def _as_of(self, opts) -> dt.date:
        return dt.date.fromisoformat(opts["as_of"]) if opts.get("as_of") else timezone.localdate()

    def _refresh(self, opts):
        from doudi.monitoring.services import lowincome_refresh

        r = lowincome_refresh(actor=_user(opts["user"]), region_code=opts["region"], as_of=self._as_of(opts),
                              progress=lambda d, t: self.stdout.write(f"  测算 {d}/{t} 户…"))
        self.stdout.write(f"测算 {r.screened} 户；新纳入 {r.opened}，退出 {r.ended}，退出低保衔接 {r.linked}；"
                          f"各类人数 {r.by_category}")

    def _run(self, opts):
        from doudi.monitoring.job.run import monitoring_run

        if not opts["no_refresh"]:
            self._refresh(opts)
        run = monitoring_run(actor=_user(opts["user"]), region_code=opts["region"], as_of=self._as_of(opts),
                             engine=opts["engine"])
        self._report(run)

    def _resume(self, opts):
        from doudi.monitoring.job.run import monitoring_run

        self._report(monitoring_run(actor=_user(opts["user"]), run_id=opts["run_id"]))

    def _report(self, run):
        self.stdout.write(f"比对任务 {run.pk}（{run.get_engine_display()}）：{run.get_state_display()}；"
                          f"{run.persons} 人、{run.records} 条部门记录；"
                          f"命中 {run.total_count}，新增预警 {run.created_count}")

    def _load(self, opts):
        from doudi.monitoring.feeds.loader import feed_load
        from doudi.regions.models import Region

        region = Region.objects.filter(code=opts["region"]).first()
        if region is None:
            raise CommandError("未知的辖区代码")
        path = Path(opts["file"])
        result = feed_load(actor=_user(opts["user"]), feed=opts["feed"], region=region,
                           period=dt.date.fromisoformat(f"{opts['period'][:7]}-01"), filename=path.name,
                           data=path.read_bytes())
        if result.already_loaded:
            self.stdout.write("该文件已导入过，未重复导入")
        else:
            self.stdout.write(f"导入 {result.rows} 行，新增 {result.batch.new_count} 行，"
                              f"跳过已报送 {result.skipped} 行；匹配辖区人员 {result.batch.matched_count}")
