"""Monitoring benchmark: match N persons against M department rows and store the warnings.

``doudi bench monitoring --persons 5000000 --records 50000000 --engine duckdb|spark --json``

Not timed (run in child processes, so they do not count in the peak memory): synthetic job inputs written as
Parquet (``monitoring.synthetic``), and a dedicated database — ``doudi_bench_monitoring`` on the PostgreSQL server of
DATABASE_URL, or a SQLite file in the data dir — migrated and filled with the households and persons the
warnings point to. Timed: exactly what a run does after its export — the one SQL definition on the chosen engine,
then the warnings stored through ``job.store.store_hits`` (insert-or-ignore on the unique key, claimed cursor).
``peak_rss_mb`` is the largest resident memory of this process plus its children (the Spark JVM) while timed.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any

import psutil

BENCH_DB = "doudi_bench_monitoring"
LAYOUT = 2  # the input files' layout: 2 = department rows carry their household, sorted by feed and month


def add_arguments(parser) -> None:
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB 线程数")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB 内存上限")
    parser.add_argument("--chunk", type=int, default=20_000, help="写入预警的批量")
    parser.add_argument("--database", default=BENCH_DB, help="基准测试专用数据库名（PostgreSQL）")


class _Peak:
    """Samples the resident memory of this process and its children until stopped."""

    def __init__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    """CPU seconds of this process, all threads (DuckDB's included; not the Spark JVM's, nor PostgreSQL's): unlike
    the wall clock, it does not depend on what else the machine runs."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _generate(workdir: str, persons: int, records: int) -> int:
    """Synthetic inputs, reused when the work directory already holds this size (they are deterministic)."""
    import json

    from doudi.monitoring.synthetic import generate, write_rules

    meta = Path(workdir) / "meta.json"
    size = {"persons": persons, "records": records, "layout": LAYOUT}
    if meta.exists() and json.loads(meta.read_text())["size"] == size:
        write_rules(Path(workdir))
        return json.loads(meta.read_text())["households"]
    households = generate(Path(workdir), persons=persons, records=records)["households"]
    meta.write_text(json.dumps({"size": size, "households": households}))
    return households


def _database(settings_dict: dict, name: str = BENCH_DB) -> dict:
    """The dedicated benchmark database (created if needed); returns the settings to use for it."""
    import django.conf

    s = dict(settings_dict)
    if s["ENGINE"].endswith("postgresql"):
        import psycopg

        conninfo = dict(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None,
                        dbname="postgres", autocommit=True)
        with psycopg.connect(**conninfo) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                c.execute(f'CREATE DATABASE "{name}"')
        s["NAME"] = name
    else:
        s["NAME"] = str(Path(django.conf.settings.DATA_DIR) / f"{name}.sqlite3")
    return s


def _populate(settings_dict: dict, households: int, persons: int, workdir: str) -> None:
    """Child process: migrate the benchmark database and load the registry stubs the warnings refer to."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    connection.settings_dict.update(settings_dict)
    call_command("migrate", verbosity=0)
    from doudi.monitoring.synthetic import VILLAGE0, bench_registry

    bench_registry(households=households, persons=persons, village0=VILLAGE0, workdir=Path(workdir))


def run(options: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from doudi.monitoring.job.engines import ENGINES, run_duckdb, spark_stop
    from doudi.monitoring.job.store import drop_stored, store_hits
    from doudi.monitoring.models import Alert, MonitoringRun
    from doudi.monitoring.synthetic import AS_OF, BENCH_COUNTY

    persons, records, engine = options["persons"], options["records"], options["engine"]
    workdir = Path(settings.DATA_DIR) / "bench-monitoring"
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        households = pool.apply(_generate, (str(workdir), persons, records))
    bench_db = _database(connection.settings_dict, options.get("database") or BENCH_DB)
    with spawn.Pool(1) as pool:
        pool.apply(_populate, (bench_db, households, persons, str(workdir)))
    connection.close()
    connection.settings_dict.update(bench_db)
    from doudi.monitoring.job.tables import rules_in_force
    from doudi.policy.loader import load_profile

    rules = {r.rule_id: r for r in rules_in_force(["national"], AS_OF, loader=load_profile)}
    run = MonitoringRun.objects.create(region_id=BENCH_COUNTY, as_of=AS_OF, engine=engine, workdir=str(workdir))
    setup = time.perf_counter() - started

    with _Peak() as peak:
        cpu0 = _cpu()
        t0 = time.perf_counter()
        if engine == "duckdb":
            total = run_duckdb(workdir, workdir / "hits.parquet", threads=options["threads"],
                               memory_limit=options["memory_limit"])
        else:
            total = ENGINES[engine](workdir, workdir / "hits.parquet")
        matched, match_cpu = time.perf_counter() - t0, _cpu() - cpu0
        drop_stored(hits=workdir / "hits.parquet", rules=rules, region_prefix=BENCH_COUNTY[:6])
        store_hits(run=run, rules=rules, hits=workdir / "hits.parquet", chunk_size=options["chunk"])
        seconds = time.perf_counter() - t0
    if engine == "spark":
        spark_stop()
    run.refresh_from_db()
    return {"persons": persons, "records": records, "seconds": round(seconds, 2),
            "peak_rss_mb": round(peak.peak / 2**20, 1), "warnings": run.created_count, "engine": engine,
            "hits": total, "match_seconds": round(matched, 2), "store_seconds": round(seconds - matched, 2),
            "match_cpu_seconds": round(match_cpu, 2), "load_average": [round(x, 2) for x in os.getloadavg()],
            "alerts_in_database": Alert.objects.count(), "setup_seconds": round(setup, 1),
            "database": bench_db["NAME"], "as_of": dt.date.isoformat(AS_OF)}
