"""doudi bench <subcommand> … — benchmarks. Each subcommand is a module of ``doudi.bench`` with
``add_arguments(parser)`` and ``run(options) -> dict``; add one by adding its line to ``SUBCOMMANDS``."""

from __future__ import annotations

import importlib
import json

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    "rules": "doudi.bench.rules",
    "payroll": "doudi.bench.payroll",
    "registry": "doudi.bench.registry",
    "web": "doudi.bench.web",
    "monitoring": "doudi.monitoring.bench",
}


class Command(BaseCommand):
    help = "性能基准测试（子命令：" + "、".join(SUBCOMMANDS) + "）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="bench", required=True)
        for name, module in SUBCOMMANDS.items():
            mod = importlib.import_module(module)
            p = sub.add_parser(name, help=(mod.__doc__ or "").strip().splitlines()[0])
            p.add_argument("--json", action="store_true", help="只输出一行 JSON")
            mod.add_arguments(p)

    def handle(self, *args, **opts):
        result = importlib.import_module(SUBCOMMANDS[opts["bench"]]).run(opts)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for k, v in result.items():
                self.stdout.write(f"{k}: {v}")
