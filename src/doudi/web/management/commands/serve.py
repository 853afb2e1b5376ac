"""doudi serve [--bind 127.0.0.1:8000] [--workers N] [--threads N] — the production web server (gunicorn).

Tuned for a small server where PostgreSQL runs on the same machine (docs/deployment.md, "Web server"): ``cores + 1``
single-threaded (sync) worker processes by default, the application loaded once before forking, workers recycled
after a few thousand requests. A request here is CPU work (Python, and PostgreSQL on the same cores), so more
requests in flight only share the cores and the GIL: under load, sync workers answered faster than threads
(docs/benchmarks.md, "Web under load"). ``--threads N`` (gthread) suits a database on another machine, where a
thread waiting on the network lets another render. Sync workers expect a buffering reverse proxy in front (nginx),
as the deployment guide sets up. Static files are served by WhiteNoise with far-future cache headers once ``doudi
collectstatic`` has run (hashed names)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from doudi.core.env import env_int


def default_workers() -> int:
    """``DOUDI_WORKERS``, else cores + 1."""
    return env_int("DOUDI_WORKERS", 0) or (os.cpu_count() or 1) + 1


def default_threads() -> int:
    """``DOUDI_THREADS``, else 1 (sync workers)."""
    return env_int("DOUDI_THREADS", 0) or 1


class Command(BaseCommand):
    help = "生产环境 Web 服务（gunicorn）"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("DOUDI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=default_threads())
        parser.add_argument("--timeout", type=int, default=60, help="单个请求最长秒数（超时的 worker 会被重启）")
        parser.add_argument("--max-requests", type=int, default=5000, help="每个 worker 处理多少请求后重启")
        parser.add_argument("--access-log", default=None, help="访问日志文件（- 为标准输出；默认不记）")

    def handle(self, *args, **o):
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError as exc:  # pragma: no cover - gunicorn is a dependency
            raise CommandError("需要 gunicorn：pip install gunicorn") from exc
        if o["workers"] < 1 or o["threads"] < 1:
            raise CommandError("--workers 与 --threads 须为正整数")
        from doudi.wsgi import application

        options = {
            "bind": o["bind"],
            "workers": o["workers"],
            "threads": o["threads"],
            "worker_class": "gthread" if o["threads"] > 1 else "sync",
            "timeout": o["timeout"],
            "graceful_timeout": 30,
            # gthread only (sync workers close after each response): longer than a user's pause between clicks, so a
            # reused connection is not closed under a request.
            "keepalive": 20,
            "max_requests": o["max_requests"],
            "max_requests_jitter": o["max_requests"] // 10,
            "preload_app": True,
            "accesslog": o["access_log"],
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"doudi serve: {o['bind']}, {o['workers']} workers × {o['threads']} threads")
        Server().run()
