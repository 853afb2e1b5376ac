"""doudi evaluate --profile NAME|PATH --date YYYY-MM-DD [FILE|-] : household JSON in, decision JSON out."""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from doudi.policy.loader import Profile, ProfileError, load_profile
from doudi.rules import InputError, evaluate_households


def _profile_with_overrides(name: str, stderr) -> Profile:
    """File profile plus admin overrides when the database answers; file values alone otherwise, said on stderr.

    Only a database that cannot be read falls back (``DatabaseError``; ``RuntimeError`` is what a process without
    database access raises, e.g. under the test runner); a bad override (``ProfileError``) or any other failure
    propagates."""
    from doudi.policy.services import profile_apply_overrides

    profile = load_profile(name)
    try:
        return profile_apply_overrides(profile=profile)
    except (DatabaseError, RuntimeError) as exc:
        stderr.write(f"未能读取后台修改的政策参数（{type(exc).__name__}），仅使用政策文件中的参数")
        return profile


class Command(BaseCommand):
    help = "按政策配置评估家庭救助资格（输入家庭 JSON，输出决定 JSON）"

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, help="政策配置名称（如 hulunbuir）或 YAML 文件路径")
        parser.add_argument("--date", required=True, help="评估日期 YYYY-MM-DD")
        parser.add_argument("file", nargs="?", default="-", help="家庭 JSON 文件；- 或省略表示标准输入")
        parser.add_argument("--no-db", action="store_true", help="只用文件中的参数，不读取后台修改")

    def handle(self, *args, **opts):
        try:
            on = dt.date.fromisoformat(opts["date"])
        except ValueError:
            raise CommandError(f"日期“{opts['date']}”无效，应为 YYYY-MM-DD") from None
        try:
            name = opts["profile"]
            profile = load_profile(name) if opts["no_db"] else _profile_with_overrides(name, self.stderr)
            params = profile.params_as_of(on)
        except ProfileError as e:
            raise CommandError(str(e)) from None
        try:
            text = sys.stdin.read() if opts["file"] == "-" else open(opts["file"], encoding="utf-8").read()
        except OSError as e:
            raise CommandError(f"无法读取输入文件：{e.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise CommandError(f"输入不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列）") from None
        single = isinstance(data, dict) and "households" not in data
        households = [data] if single else (data.get("households") if isinstance(data, dict) else data)
        try:
            decisions = evaluate_households(households, params, on)
        except InputError as e:
            raise CommandError(str(e)) from None
        out = decisions[0] if single else {"decisions": decisions}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
