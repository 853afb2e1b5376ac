"""Web bench: N households, U signed-in users at once, through the real production server on PostgreSQL.

``doudi bench web --households 1000000 --users 50 [--duration 120] [--json] [--database doudi_bench_web]
[--port 8109] [--workers N] [--threads N] [--rebuild]``. Needs PostgreSQL (``DATABASE_URL=postgres://…``) and the
``bench`` extra (Locust). Set-up, not timed: the dedicated database is created and migrated; unless it already
holds N bench households (reused, so a second run starts in seconds; ``--rebuild`` forces a new load) it is
**emptied** and filled by the registry bench's COPY loader (households, persons, memberships, evidence) plus
casework built inside PostgreSQL (``bench/casework.py``), then the statistics are refreshed. Users: a city-wide
civil-affairs officer, a county officer with grants on two counties, and a township caseworker, one third of the
simulated users each, signed in by a session created up front (a login costs a password hash, not what is
measured). Then ``doudi serve`` (gunicorn, the same command and defaults as production) is started on the bench
database and Locust drives it headless (``bench/locustfile.py``: think time 0.5–2 s; home, household list first
page, a deep page via the jump, last page, name and ID search, household page, case, payroll-line and review
lists). Every response time is recorded; the result gives requests, errors, p50/p95/p99 overall, per page and per
kind of user, the throughput against what the users' pauses alone allow (``throughput_vs_think_time``), CPU per
request of the web server and of PostgreSQL, and what it ran on (``server``: workers × threads and the PostgreSQL
settings; ``machine``).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from doudi.bench.common import peak_rss_mb, use_database
from doudi.bench.mix import THINK_SECONDS
from doudi.bench.registry import CITY
from doudi.web.management.commands.serve import default_threads, default_workers

KINDS = {
    # kind: (role, region codes of the grants)
    "city": ("civil_affairs", [f"{CITY}00000000"]),
    # Two counties that are not neighbours in the code (neighbouring grants merge into one range).
    "county2": ("civil_affairs", [f"{CITY}01000000", f"{CITY}03000000"]),
    "township": ("township_caseworker", [f"{CITY}03004000"]),
}
SAMPLE = 300  # households per kind the simulated users pick from
# What the run reports of the PostgreSQL server it ran on (docs/deployment.md gives the values for this size).
SERVER_SETTINGS = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "random_page_cost", "jit",
                   "max_connections", "max_parallel_workers_per_gather", "shared_preload_libraries")


def add_arguments(parser) -> None:
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="计时秒数（不含爬坡）")
    parser.add_argument("--database", default="doudi_bench_web", help="专用基准测试数据库名（重建时会被清空）")
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn 进程数（默认同 doudi serve）")
    parser.add_argument("--threads", type=int, default=0, help="每进程线程数（默认同 doudi serve）")
    parser.add_argument("--chunk", type=int, default=200_000, help="装载时每批家庭数")
    parser.add_argument("--rebuild", action="store_true", help="即使已有同规模基准数据也重新装载")


def _build(n: int, chunk: int, rebuild: bool) -> dict[str, Any]:
    """Load what is missing: the registry (unless it holds N bench households), the casework, the statistics."""
    from django.utils import timezone

    from doudi.bench import casework
    from doudi.bench.registry import _populate
    from doudi.cases.models import Case
    from doudi.registry.models import Household
    from doudi.statistics.models import Refresh
    from doudi.statistics.services import statistics_refresh

    out: dict[str, Any] = {}
    t = time.perf_counter()
    if rebuild or Household.objects.filter(region__code__startswith=CITY).count() != n:
        _populate(n, chunk)
        out["load_seconds"] = round(time.perf_counter() - t, 1)
        Refresh.objects.all().delete()
    t = time.perf_counter()
    if not Case.objects.filter(application__number__startswith="BENCH").exists():
        out.update(casework.build(timezone.localdate()))
        out["casework_seconds"] = round(time.perf_counter() - t, 1)
        Refresh.objects.all().delete()
    t = time.perf_counter()
    if not Refresh.objects.filter(finished_at__isnull=False).exists():
        statistics_refresh()
        out["statistics_seconds"] = round(time.perf_counter() - t, 1)
    return out


# The per-database part of docs/deployment.md's PostgreSQL settings (shared_buffers needs a server restart and is
# left to the server's configuration: the bench does not restart a shared PostgreSQL).
DATABASE_SETTINGS = {"work_mem": "16MB", "jit": "off", "random_page_cost": "1.1", "effective_cache_size": "4GB"}


def _tune(name: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for key, value in DATABASE_SETTINGS.items():
            cur.execute(f"ALTER DATABASE \"{name}\" SET {key} = '{value}'")
    connection.close()  # new connections pick the settings up


def _server_settings() -> dict[str, str]:
    """The PostgreSQL settings the bench database's connections run with (after ``_tune``)."""
    from django.db import connection

    with connection.cursor() as cur:
        return {key: cur.execute(f"SHOW {key}").fetchone()[0] for key in SERVER_SETTINGS}


def _machine() -> dict[str, Any]:
    import psutil

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model,
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)}


def _users_and_sessions() -> dict[str, dict[str, Any]]:
    """One user per kind, a fresh session for each simulated user, and the households each kind may open."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from doudi.accounts.models import RegionGrant, User
    from doudi.accounts.scoping import region_prefixes
    from doudi.payments.models import Payroll
    from doudi.registry.models import Household, Membership

    out = {}
    for kind, (role, regions) in KINDS.items():
        user, _c = User.objects.get_or_create(username=f"bench_web_{kind}", defaults={"display_name": f"基准{kind}"})
        RegionGrant.objects.filter(user=user).exclude(region_id__in=regions).delete()
        for region in regions:
            RegionGrant.objects.get_or_create(user=user, region_id=region, role=role)
        prefixes = region_prefixes(user, "view")
        households = _sample(Household.objects.restrict(user, "view"))
        heads = {pk: (name, id_number) for pk, name, id_number in Membership.objects.filter(
            household_id__in=[h["pk"] for h in households], relationship="head",
        ).values_list("household_id", "person__name", "person__id_number")}
        payrolls = list(Payroll.objects.restrict(user, "view").values_list("pk", flat=True)[:20])
        sessions = []
        for _i in range(64):
            s = SessionStore()
            s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
            s[HASH_SESSION_KEY] = user.get_session_auth_hash()
            s.create()
            sessions.append(s.session_key)
        out[kind] = {
            "prefixes": prefixes,
            "sessions": sessions,
            "households": [{"pk": h["pk"], "number": h["number"], "name": heads.get(h["pk"], ("", ""))[0],
                            "id_number": heads.get(h["pk"], ("", ""))[1]} for h in households],
            "payrolls": payrolls,
        }
    return out


def _sample(qs) -> list[dict]:
    """Households spread over the whole jurisdiction: every k-th by id (no ORDER BY random() over a million)."""
    ids = qs.order_by("pk").values_list("pk", flat=True)
    lo, hi = ids.first(), qs.order_by("-pk").values_list("pk", flat=True).first()
    if lo is None:
        return []
    step = max((hi - lo) // SAMPLE, 1)
    picks = [lo + i * step for i in range(SAMPLE)]
    found = list(qs.filter(pk__in=picks).values("pk", "number"))
    return found or list(qs.values("pk", "number")[:SAMPLE])


def _serve(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    from django.db import connection

    s = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}",
           "DOUDI_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    cmd = [sys.executable, "-m", "doudi", "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"doudi serve exited: see {log}") from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"doudi serve did not answer on port {port}: see {log}")


def _cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) spent so far by the web server ("web": the gunicorn master and its workers) and
    by the PostgreSQL server ("database": the postmaster and every backend and background process). Each side is a
    process tree: its root's own time, the time of children it has reaped (a worker recycled after
    ``--max-requests``, a backend whose connection was closed after ``DOUDI_CONN_MAX_AGE``) and that of the live
    children, so nothing that ends during the run is lost. The database side counts the whole server: on a quiet
    machine that is the bench's backends plus the checkpointer, WAL writer and autovacuum they cause."""
    import psutil
    from django.db import connection

    with connection.cursor() as cur:
        backend = cur.execute("SELECT pg_backend_pid()").fetchone()[0]
    postmaster = psutil.Process(backend).ppid()
    return {"web": _tree_cpu(server_pid), "database": _tree_cpu(postmaster)}


def _tree_cpu(pid: int) -> float:
    import psutil

    root = psutil.Process(pid)
    t = root.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in root.children(recursive=True):
        try:
            c = child.cpu_times()
        except psutil.Error:  # ended meanwhile: its time is in its parent's children_* by now or soon
            continue
        total += c.user + c.system
    return total


def _locust(port: int, users: int, duration: int, plan: Path, samples: Path, log: Path) -> float:
    """Run Locust headless; returns the CPU seconds (user + system) the load generator itself spent."""
    locustfile = Path(__file__).with_name("locustfile.py")
    env = {**os.environ, "DOUDI_BENCH_PLAN": str(plan), "DOUDI_BENCH_SAMPLES": str(samples)}
    ramp = max(users // 10, 1)  # users per second while starting
    warmup = math.ceil(users / ramp) + 5
    env["DOUDI_BENCH_WARMUP"] = str(warmup)
    cmd = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", str(users), "-r", str(ramp),
           "-t", f"{duration + warmup}s", "--host", f"http://127.0.0.1:{port}", "--only-summary",
           "--stop-timeout", "5", "--loglevel", "WARNING"]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(_status)
    return usage.ru_utime + usage.ru_stime


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return round(s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))], 1)


def _summary(rows: list[list]) -> dict[str, Any]:
    times = [r[2] for r in rows]
    return {"requests": len(rows), "errors": sum(1 for r in rows if not r[3]),
            "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95), "p99_ms": _pct(times, 99)}


def run(options: dict[str, Any]) -> dict[str, Any]:
    use_database(options["database"])
    _tune(options["database"])
    n = options["households"]
    t0 = time.perf_counter()
    built = _build(n, options["chunk"], options["rebuild"])
    setup: dict[str, Any] = {"reused": not built, **built}
    plan = _users_and_sessions()
    server = _server_settings()
    setup["setup_seconds"] = round(time.perf_counter() - t0, 1)
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-web-"))
    plan_file, samples = work / "plan.json", work / "samples.jsonl"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False))
    proc = _serve(options["port"], options["workers"], options["threads"], work / "serve.log")
    try:
        cpu_before = _cpu_seconds(proc.pid)
        locust_cpu = _locust(options["port"], options["users"], options["duration"], plan_file, samples,
                             work / "locust.log")
        cpu_after = _cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    every = [json.loads(line) for line in samples.read_text().splitlines()] if samples.exists() else []
    rows = [r for r in every if not r[6]]
    if not rows:
        raise SystemExit(f"no requests recorded: see {work}/locust.log")
    duration = max(r[4] for r in rows) - min(r[4] for r in rows)
    result: dict[str, Any] = {"households": n, "users": options["users"], **_summary(rows),
                              "requests_per_second": round(len(rows) / max(duration, 1), 1)}
    # Throughput limited by think time: U users pausing Z seconds on average between an answer and their next click
    # ask at most U / Z requests a second, the rate an infinitely fast server would see. A ratio near 1 means the
    # server answered so fast that the pauses alone set the pace; as requests queue at the server the ratio falls
    # (U / (Z + response time) holds for any closed loop, so it would not tell).
    bound = options["users"] / (sum(THINK_SECONDS) / 2)
    result["think_time_bound_rps"] = round(bound, 1)
    result["throughput_vs_think_time"] = round(result["requests_per_second"] / bound, 2)
    # CPU spent per request (all requests, warm-up included), by the web server and by PostgreSQL: what the two
    # cores can serve when nobody else uses them (on a shared machine the database side also counts the others'
    # use of the same PostgreSQL server).
    result["cpu_ms_per_request"] = {
        side: round((cpu_after[side] - cpu_before[side]) * 1000 / max(len(every), 1), 1) for side in ("web", "database")
    }
    # The load generator's own CPU (it runs on the same machine): what it takes away from the server.
    result["cpu_ms_per_request"]["load_generator"] = round(locust_cpu * 1000 / max(len(every), 1), 1)
    result["pages"] = {page: _summary([r for r in rows if r[1] == page]) for page in sorted({r[1] for r in rows})}
    result["kinds"] = {kind: _summary([r for r in rows if r[0] == kind]) for kind in KINDS}
    errors = sorted({r[5] for r in rows if not r[3] and len(r) > 5})[:10]
    result.update({"error_samples": errors, "setup": setup, "peak_rss_mb": peak_rss_mb(),
                   "server": {"workers": options["workers"] or default_workers(),
                              "threads": options["threads"] or default_threads(), **server},
                   "machine": _machine(),
                   "database": options["database"], "work_dir": str(work),
                   "load_average": [round(x, 2) for x in os.getloadavg()]})
    return result
