"""``doudi demo``: a working demo city in one command — migrate, regions, population, users, then serve."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from doudi.demo.care import build_demo_care, delete_demo_care
from doudi.demo.caseload import build_demo_caseload, delete_demo_caseload
from doudi.demo.enrol import delete_demo_enrolment, enrol_current_recipients, prepare_demo_operations
from doudi.demo.monitoring import build_demo_monitoring, delete_demo_monitoring
from doudi.demo.population import DEFAULT_SEED, delete_demo_population, demo_data_present, generate
from doudi.demo.regions import build_demo_regions
from doudi.demo.sunshine import build_demo_sunshine, delete_demo_sunshine
from doudi.demo.users import DEMO_PASSWORD, DEMO_USERS, create_demo_users
from doudi.statistics.services import statistics_refresh


def _enrol_current_recipients(stdout) -> None:
    """Enrol the current 低保/特困 recipients by running the rules engine over the demo population."""
    started = time.monotonic()
    counts = enrol_current_recipients(progress=lambda done, total: stdout.write(f"  政策测算 {done}/{total} 户…"))
    if not counts["evaluated"]:
        stdout.write("  已有在册对象，跳过 / recipients exist, skipped")
        return
    stdout.write(
        f"  低保 {counts['dibao']} 户、单人保 {counts['dibao_single']} 人、特困 {counts['tekun']} 人；"
        f"另有 {counts['undiscovered']} 户符合条件尚未纳入（供主动发现）/ "
        f"{time.monotonic() - started:.1f} s"
    )


class Command(BaseCommand):
    help = "建立演示数据（区划、模拟人口、演示账号）并启动服务 / Build the demo data and serve it"
    # Building data needs only the models; runserver runs the full system checks before serving.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--households", type=int, default=8000, help="number of households to generate")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--reset", action="store_true", help="delete and regenerate the demo population")
        parser.add_argument("--no-serve", action="store_true", help="build the data and exit (for tests, CI)")

    def handle(self, *args, port: int, households: int, seed: int, reset: bool, no_serve: bool, **options):
        if households < 1:
            raise CommandError("--households 必须大于 0 / must be at least 1")
        out = self.stdout
        out.write(f"数据目录 / data dir: {settings.DATA_DIR}")
        out.write("1/5 数据库迁移 / migrating…")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        # The development server serves the app's static files itself; WhiteNoise (production, after collectstatic)
        # only warns at start-up when its folder is missing, which a new user should not have to read.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)

        out.write("2/5 行政区划 / regions…")
        regions = build_demo_regions()
        out.write(f"  {len(regions)} 个区划 / regions")

        out.write("3/5 模拟人口 / population…")
        if reset:
            try:
                delete_demo_sunshine()  # tickets and inspections point at households, reviews and entitlements
                delete_demo_care()  # care rows point at entitlements, households and monitoring warnings
                delete_demo_monitoring()  # first: warnings and plans point at cases, reviews and entitlements
                delete_demo_caseload()  # then: its cases hold entitlements the enrolment would delete
                delete_demo_enrolment()
                deleted = delete_demo_population()
            except (ProtectedError, RestrictedError):
                raise CommandError(
                    "演示人口已被其他数据引用，无法删除；请删除数据目录后重试 / "
                    "demo population is referenced by other data; delete the data dir and retry"
                ) from None
            out.write(f"  已删除 {deleted} 户旧数据 / deleted {deleted} old households")
        if demo_data_present():
            out.write("  已有演示人口，跳过生成（--reset 可重新生成）/ population exists, skipped")
        else:
            started = time.monotonic()
            result = generate(
                households, seed, progress=lambda done, total: out.write(f"  生成人口 {done}/{total} 户…")
            )
            out.write(
                f"  {result.households} 户 / households, {result.persons} 人 / people, "
                f"{sum(result.evidence.values())} 条佐证 / evidence rows, {time.monotonic() - started:.1f} s"
            )

        out.write("4/5 演示账号 / demo users…")
        create_demo_users()

        out.write("5/5 在册对象 / current recipients…")
        _enrol_current_recipients(out)
        prepare_demo_operations(stdout=out)
        build_demo_caseload(stdout=out)
        build_demo_monitoring(stdout=out)
        build_demo_care(stdout=out)
        build_demo_sunshine(stdout=out)
        # The home pages read the maintained aggregates (doudi.statistics); in production a task refreshes them.
        refreshed = statistics_refresh()
        out.write(f"  统计汇总 / figures: {refreshed.done_count} 个区划 / regions")

        self._print_logins(port)
        if no_serve:
            return
        call_command("runserver", f"127.0.0.1:{port}", insecure_serving=True, use_reloader=False)

    def _print_logins(self, port: int) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"兜底演示 / doudi demo: http://127.0.0.1:{port}/"))
        out.write(f"统一密码 / password: {DEMO_PASSWORD}")
        out.write(f"{'用户名 / login':<16}{'身份 / role':<36}姓名 / name")
        for spec in DEMO_USERS:
            out.write(f"{spec.username:<16}{spec.label:<36}{spec.display_name}")
