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
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.job.tables import RuleInForce
from doudi.monitoring.models import Alert, FeedRow, MonitoringRun
from doudi.regions.models import Region
from doudi.registry.models import Household, Person
from doudi.rules.monitoring import HEALTH_FEEDS

CHUNK = 5000


def alert_key(code: str, hkey: int, pkey: int, rkey: int, bucket: int) -> str:
    return f"{code}:{hkey}:{pkey}:{rkey}:{bucket}"


def month_start(mon: int) -> dt.date:
    return dt.date(mon // 12, mon % 12 + 1, 1)


def detail(spec: dict, measure: int) -> str:
    """One Chinese line saying what the data showed, against the rule's own parameters."""
    return detail_writer(spec)(measure)


def detail_writer(spec: dict) -> Callable[[int], str]:
    """``detail`` for one rule, its texts translated once (the store writes it for every hit of the rule)."""
    kind = spec["kind"]
    if kind == "sum":
        text = _("近%(w)d个月合计%(t)s元（预警线%(l)s元）")
        share = _("，且超过家庭同期收入的%(p)s%%") % {"p": f"{spec['share_bp'] / 100:g}"} if spec["share_bp"] else ""
        w, line = spec["window_months"], format_yuan(spec["threshold_fen"])
        return lambda m: text % {"w": w, "t": format_yuan(m), "l": line} + share
    if kind == "income_over_line":
        text, x = _("部门报送收入合计%(t)s元，月均超过低保标准的%(x)s倍"), f"{spec['line_bp'] / 10000:g}"
        return lambda m: text % {"t": format_yuan(m), "x": x}
    counted = {"holdings": _("名下登记%(n)d项"), "shared_account": _("同一收款账户有%(n)d户使用"),
               "duplicate_person": _("同时为%(n)d户家庭成员")}
    if kind in counted:
        text = counted[kind]
        return lambda m: text % {"n": m}
    if kind in ("event", "area_event"):
        text = _("金额%(t)s元")
        return lambda m: text % {"t": format_yuan(m)} if m else ""
    return lambda m: ""


# The chunk is staged in a temporary table (COPY on PostgreSQL) and moved with one INSERT … SELECT … ON CONFLICT DO
# NOTHING: the still-existing trigger row is joined in SQL (the village comes with the hit), and the database says
# how many rows were new. The warning's references are checked for the whole chunk in one query (``_check``) instead
# of by a foreign-key trigger per row (docs/benchmarks.md: the triggers were half the time of storing). Only what
# differs per hit is staged; what the rule says (title, severity, response, deadline, basis — a few hundred bytes)
# is joined from a 21-row rules table in SQL instead of being written, copied and parsed once per hit.
STAGE = "monitoring_hits_stage"
STAGED = ("key", "rule_id", "household_id", "region_id", "person_id", "rkey", "period", "measure_fen", "detail")
RULES = "monitoring_rules_stage"
RULE_COLUMNS = ("rule_id", "rule_code", "rule_title", "severity", "suggested", "deadline_days", "basis", "health")


def _rules_frame(rules: dict[int, RuleInForce]) -> pl.DataFrame:
    return pl.DataFrame(
        [(r.rule_id, r.code, r.spec["title"][:100], r.spec["severity"], r.spec["response"], r.spec["deadline_days"],
          r.basis, r.spec["feed"] in HEALTH_FEEDS) for r in rules.values()],
        schema={"rule_id": pl.Int64, "rule_code": pl.String, "rule_title": pl.String, "severity": pl.String,
                "suggested": pl.String, "deadline_days": pl.Int64, "basis": pl.String, "health": pl.Boolean},
        orient="row")


def _key_expr() -> pl.Expr:
    """``alert_key`` as a column expression (the hits joined with their rule's code)."""
    parts = [pl.col(c).cast(pl.String) for c in ("hkey", "pkey", "rkey", "bucket")]
    return pl.concat_str([pl.col("rule_code"), *parts], separator=":")


def drop_stored(*, hits: Path, rules: dict[int, RuleInForce], region_prefix: str) -> int:
    """Before storing: keep only the hits whose warning is not in the database yet (an anti-join on the key against
    the jurisdiction's stored keys), rewriting the hits file in its order; returns how many remain. A monthly re-run
    sees mostly what it raised last month: those are never staged. ``ON CONFLICT DO NOTHING`` still guards the
    insert (a warning stored meanwhile by another run)."""
    frame = pl.read_parquet(hits)
    with connection.cursor() as cur:
        cur.execute(f"SELECT key FROM {Alert._meta.db_table} WHERE region_id LIKE %s",  # noqa: S608 - a fixed name
                    [region_prefix + "%"])
        stored = pl.Series("key", [k for (k,) in cur.fetchall()], dtype=pl.String)
    if frame.height == 0 or stored.len() == 0:
        return frame.height
    codes = _rules_frame(rules).select("rule_id", "rule_code")
    keys = frame.join(codes, on="rule_id", how="left", maintain_order="left").select(_key_expr()).to_series()
    new = (frame.with_columns(key=keys).join(stored.to_frame(), on="key", how="anti", maintain_order="left")
           .drop("key"))
    partial = hits.with_suffix(".new.parquet")
    new.write_parquet(partial)
    partial.replace(hits)  # atomic: a crash leaves the old file or the new one, both valid inputs to the store
    return new.height


def _null_if_zero(column: str) -> pl.Expr:
    return pl.when(pl.col(column) != 0).then(pl.col(column))


def _frame(part: pl.DataFrame, rules: dict[int, RuleInForce], rules_frame: pl.DataFrame) -> pl.DataFrame:
    """The chunk's warnings, column by column (no Python object per hit except its one line of detail)."""
    writers = {rule_id: detail_writer(rule.spec) for rule_id, rule in rules.items()}
    details = [writers[r](m) for r, m in zip(part["rule_id"].to_list(), part["measure"].to_list(), strict=True)]
    codes = rules_frame.select("rule_id", "rule_code")
    out = part.join(codes, on="rule_id", how="left", maintain_order="left").with_columns(
        key=_key_expr(),
        household_id=pl.col("hkey"), region_id=pl.col("vkey").cast(pl.String).str.zfill(12),
        person_id=_null_if_zero("pkey"), rkey=_null_if_zero("rkey"),
        period=pl.date(pl.col("mon") // 12, pl.col("mon") % 12 + 1, 1), measure_fen=pl.col("measure"),
        detail=pl.Series(details, dtype=pl.String))
    return out.select(STAGED)


def _stage(cur, frame: pl.DataFrame, rules_frame: pl.DataFrame) -> None:
    types = {"rule_id": "bigint", "deadline_days": "integer", "household_id": "bigint", "person_id": "bigint",
             "rkey": "bigint", "period": "date", "measure_fen": "bigint", "health": "boolean"}
    postgres = connection.vendor == "postgresql"
    for table, names in ((STAGE, STAGED), (RULES, RULE_COLUMNS)):
        columns = ", ".join(f"{c} {types.get(c, 'text')}" for c in names)
        cur.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({columns})")
    # Emptied before each chunk (a chunk inside an outer transaction never reaches a commit that would); on
    # PostgreSQL by truncation, which leaves no dead rows for the next chunk's statements to step over.
    if postgres:
        cur.execute(f"TRUNCATE {STAGE}, {RULES}")
    else:
        for table in (STAGE, RULES):
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed name
    marks = ", ".join(["%s"] * len(RULE_COLUMNS))
    cur.executemany(f"INSERT INTO {RULES} VALUES ({marks})", rules_frame.select(RULE_COLUMNS).rows())  # noqa: S608
    if postgres:
        # CSV with every text quoted: an empty text stays '' and only a missing value is NULL.
        data = frame.write_csv(include_header=False, quote_style="non_numeric")
        with cur.cursor.copy(f"COPY {STAGE} ({', '.join(STAGED)}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(data.encode())
        # A fresh temporary table has no statistics: join by index, not by scan (the joined columns suffice).
        cur.execute(f"ANALYZE {STAGE} (household_id, person_id, region_id, rkey)")
    else:
        marks = ", ".join(["%s"] * len(STAGED))
        cur.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", frame.rows())  # noqa: S608 - a fixed name


def _check(cur) -> None:
    """The foreign keys of the whole chunk in one query: every household, person and village exists (they are
    never deleted: households and persons are ended, regions are changed by dated region changes)."""
    household, person, region = (m._meta.db_table for m in (Household, Person, Region))
    cur.execute(
        f"SELECT t.key FROM {STAGE} t "  # noqa: S608 - fixed names
        f"WHERE NOT EXISTS (SELECT 1 FROM {household} h WHERE h.id = t.household_id) "
        f"OR NOT EXISTS (SELECT 1 FROM {region} g WHERE g.code = t.region_id) "
        f"OR (t.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {person} p WHERE p.id = t.person_id)) LIMIT 1")
    missing = cur.fetchone()
    if missing:
        raise MonitoringError(_("比对结果指向不存在的家庭、人员或村（社区）：%(k)s") % {"k": missing[0]},
                              code=Code.DANGLING_HIT)


def _insert(frame: pl.DataFrame, rules_frame: pl.DataFrame, run: MonitoringRun) -> int:
    """Insert the chunk's new warnings; returns how many were new."""
    alert, feed_row = Alert._meta.db_table, FeedRow._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Safe: the cursor commits with the chunk, so a crash that loses this commit loses the cursor step too
            # and the resumed run redoes the chunk.
            cur.execute("SET LOCAL synchronous_commit = off")
        _stage(cur, frame, rules_frame)
        _check(cur)
        cur.execute(
            f"INSERT INTO {alert} (key, source, rule_code, rule_title, severity, suggested, deadline_days, basis, "  # noqa: S608
            "household_id, person_id, region_id, feed_row_id, period, measure_fen, detail, health, status, outcome, "
            "outcome_note, outcome_ref, run_id, created_at) "
            "SELECT t.key, %s, r.rule_code, r.rule_title, r.severity, r.suggested, r.deadline_days, r.basis, "
            "t.household_id, t.person_id, t.region_id, f.id, t.period, t.measure_fen, t.detail, r.health, %s, '', "
            f"'', '', %s, %s FROM {STAGE} t JOIN {RULES} r ON r.rule_id = t.rule_id "
            f"LEFT JOIN {feed_row} f ON f.id = t.rkey WHERE 1 = 1 "
            "ON CONFLICT (key) DO NOTHING",
            [WarningSource.MATCHING, WarningStatus.NEW, run.pk, timezone.now()])
        return cur.rowcount


def store_hits(*, run: MonitoringRun, rules: dict[int, RuleInForce], hits: Path, chunk_size: int = CHUNK,
               max_chunks: int | None = None, progress: Callable[[MonitoringRun], None] | None = None) -> bool:
    """Store hits from the run's cursor on; True when every hit is stored."""
    frame = pl.read_parquet(hits)
    rules_frame = _rules_frame(rules)
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        run.refresh_from_db(fields=["cursor"])
        part = frame.slice(run.cursor, chunk_size)
        if part.height == 0:
            return True
        rows = _frame(part, rules, rules_frame)
        with transaction.atomic():
            claimed = MonitoringRun.objects.filter(pk=run.pk, cursor=run.cursor).update(
                cursor=run.cursor + part.height, done_count=F("done_count") + part.height, heartbeat_at=timezone.now())
            if claimed:
                created = _insert(rows, rules_frame, run)
                MonitoringRun.objects.filter(pk=run.pk).update(created_count=F("created_count") + created)
        chunks += 1
        if progress is not None:
            run.refresh_from_db()
            progress(run)
    run.refresh_from_db(fields=["cursor"])
    return run.cursor >= frame.height
