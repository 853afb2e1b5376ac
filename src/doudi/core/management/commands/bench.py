"""doudi bench <subcommand> … — benchmarks. Each subcommand is a module with ``add_arguments(parser)`` and
``run(options) -> dict``; add one by adding a line to ``SUBCOMMANDS`` (e.g. "payroll": "doudi.bench.payroll")."""

from __future__ import annotations

import importlib
import json

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    "rules": "doudi.rules.bench",
    "payroll": "doudi.payments.bench",
    "registry": "doudi.registry.bench",
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
