"""Write the job's hits back as warnings, idempotently and resumably (STYLE.md 7).

A warning's ``key`` is rule : household : person : trigger row : period, unique in the database, and inserts ignore
conflicts: a re-run, a resumed run or two runs at once never alert twice. The cursor (hits stored so far, in the
file's fixed order) is claimed with a conditional update in the same transaction as the chunk's inserts, so a crash
rolls back both and the resumed run redoes exactly that chunk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.money import format_yuan
from doudi.monitoring.choices import WarningSource, WarningStatus
from doudi.monitoring.job.tables import RuleInForce
from doudi.monitoring.models import Alert, FeedRow, MonitoringRun
from doudi.rules.monitoring import HEALTH_FEEDS

CHUNK = 5000


def alert_key(code: str, hkey: int, pkey: int, rkey: int, bucket: int) -> str:
    return f"{code}:{hkey}:{pkey}:{rkey}:{bucket}"


def month_start(mon: int) -> dt.date:
    return dt.date(mon // 12, mon % 12 + 1, 1)


def detail(spec: dict, measure: int) -> str:
    """One Chinese line saying what the data showed, against the rule's own parameters."""
    kind = spec["kind"]
    if kind == "sum":
        text = _("近%(w)d个月合计%(t)s元（预警线%(l)s元）") % {
            "w": spec["window_months"], "t": format_yuan(measure), "l": format_yuan(spec["threshold_fen"])}
        if spec["share_bp"]:
            text += _("，且超过家庭同期收入的%(p)s%%") % {"p": f"{spec['share_bp'] / 100:g}"}
        return text
    if kind == "income_over_line":
        return _("部门报送收入合计%(t)s元，月均超过低保标准的%(x)s倍") % {
            "t": format_yuan(measure), "x": f"{spec['line_bp'] / 10000:g}"}
    if kind == "holdings":
        return _("名下登记%(n)d项") % {"n": measure}
    if kind == "shared_account":
        return _("同一收款账户有%(n)d户使用") % {"n": measure}
    if kind == "duplicate_person":
        return _("同时为%(n)d户家庭成员") % {"n": measure}
    if kind in ("event", "area_event") and measure:
        return _("金额%(t)s元") % {"t": format_yuan(measure)}
    return ""


# The chunk is staged in a temporary table and moved with one INSERT … SELECT … ON CONFLICT DO NOTHING: the
# still-existing trigger row is joined in SQL (the village comes with the hit), and the database says how many rows
# were new. At province scale the ORM's per-object cost dominated (measured ~1 ms a warning).
STAGE = "monitoring_hits_stage"
STAGED = ("key", "rule_code", "rule_title", "severity", "suggested", "deadline_days", "basis", "household_id",
          "region_id", "person_id", "rkey", "period", "measure_fen", "detail", "health")


def _rows(frame: pl.DataFrame, rules: dict[int, RuleInForce]) -> list[tuple]:
    out = []
    for rule_id, hkey, vkey, pkey, rkey, bucket, mon, measure in frame.iter_rows():
        rule = rules[rule_id]
        s = rule.spec
        out.append((alert_key(rule.code, hkey, pkey, rkey, bucket), rule.code, s["title"][:100], s["severity"],
                    s["response"], s["deadline_days"], rule.basis, hkey, f"{vkey:012d}", pkey or None, rkey or None,
                    month_start(mon), measure, detail(s, measure), s["feed"] in HEALTH_FEEDS))
    return out


def _stage(cur, rows: list[tuple]) -> None:
    types = {"deadline_days": "integer", "household_id": "bigint", "person_id": "bigint", "rkey": "bigint",
             "period": "date", "measure_fen": "bigint", "health": "boolean"}
    columns = ", ".join(f"{c} {types.get(c, 'text')}" for c in STAGED)
    cur.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ({columns})")
    cur.execute(f"DELETE FROM {STAGE}")  # noqa: S608 - a fixed name
    if connection.vendor == "postgresql":
        with cur.cursor.copy(f"COPY {STAGE} ({', '.join(STAGED)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"ANALYZE {STAGE}")  # a fresh temporary table has no statistics: join by index, not by scan
    else:
        marks = ", ".join(["%s"] * len(STAGED))
        cur.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", rows)  # noqa: S608 - a fixed name


def _insert(rows: list[tuple], run: MonitoringRun) -> int:
    """Insert the chunk's new warnings; returns how many were new."""
    alert, feed_row = Alert._meta.db_table, FeedRow._meta.db_table
    with connection.cursor() as cur:
        _stage(cur, rows)
        cur.execute(
            f"INSERT INTO {alert} (key, source, rule_code, rule_title, severity, suggested, deadline_days, basis, "  # noqa: S608
            "household_id, person_id, region_id, feed_row_id, period, measure_fen, detail, health, status, outcome, "
            "outcome_note, outcome_ref, run_id, created_at) "
            "SELECT t.key, %s, t.rule_code, t.rule_title, t.severity, t.suggested, t.deadline_days, t.basis, "
            "t.household_id, t.person_id, t.region_id, f.id, t.period, t.measure_fen, t.detail, t.health, %s, '', "
            f"'', '', %s, %s FROM {STAGE} t LEFT JOIN {feed_row} f ON f.id = t.rkey WHERE 1 = 1 "
            "ON CONFLICT (key) DO NOTHING",
            [WarningSource.MATCHING, WarningStatus.NEW, run.pk, timezone.now()])
        return cur.rowcount


def store_hits(*, run: MonitoringRun, rules: dict[int, RuleInForce], hits: Path, chunk_size: int = CHUNK,
               max_chunks: int | None = None, progress: Callable[[MonitoringRun], None] | None = None) -> bool:
    """Store hits from the run's cursor on; True when every hit is stored."""
    frame = pl.read_parquet(hits)
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        run.refresh_from_db(fields=["cursor"])
        part = frame.slice(run.cursor, chunk_size)
        if part.height == 0:
            return True
        rows = _rows(part, rules)
        with transaction.atomic():
            claimed = MonitoringRun.objects.filter(pk=run.pk, cursor=run.cursor).update(
                cursor=run.cursor + part.height, done_count=F("done_count") + part.height, heartbeat_at=timezone.now())
            if claimed:
                created = _insert(rows, run)
                MonitoringRun.objects.filter(pk=run.pk).update(created_count=F("created_count") + created)
        chunks += 1
        if progress is not None:
            run.refresh_from_db()
            progress(run)
    run.refresh_from_db(fields=["cursor"])
    return run.cursor >= frame.height
