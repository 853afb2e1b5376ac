"""Statistics benchmark: the director's desk, the statutory report and the public pages at scale on PostgreSQL.

``doudi bench stats --households 1000000 [--json] [--database doudi_bench_stats] [--no-load]``. The benchmark
database (on the server of DATABASE_URL, which must be PostgreSQL) is created, migrated and **emptied**, then filled
by COPY (not timed): the registry benchmark's city (10 counties × 10 townships × 10 villages, N households, 2.5
members each, evidence), a 低保 entitlement for every 10th household and a 特困 one for every 40th, one approved
payroll per county, program and month for the last two months with a line per entitlement (every 50th failed), and
a hotline ticket for every 50th household (four kinds; a tenth of them overdue, the rest resolved); entitlements
start over the last twelve months, every 30th ended this month and every 45th in 渐退 since last month, so the
flow dashboards have data (no cases are loaded: step times cost the refresh, not the pages). Then it times, in this
order: the aggregate refresh (``statistics_refresh``, a background task), building the city's monthly report from
the payroll (a background task), and through the real views with Django's test client, the median of ``--runs``
requests after a warm-up: the desk (today's work and the dashboards) for the city, a county and a township, the
home page, the stored report's page and its Excel download, the 绩效评价 page and its Excel for the city and a
county, the public page of a county and of a village.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

import polars as pl
from django.utils import timezone

from doudi.bench.common import copy_frame, peak_rss_mb, use_database
from doudi.bench.registry import CITY
from doudi.bench.registry import _populate as populate_registry


def add_arguments(parser) -> None:
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--database", default="doudi_bench_stats", help="专用基准测试数据库名（会被清空）")
    parser.add_argument("--chunk", type=int, default=200_000, help="每批生成的家庭数（仅影响装载内存）")
    parser.add_argument("--runs", type=int, default=5, help="每项计时的次数（取中位数）")
    parser.add_argument("--no-load", action="store_true", help="不重新装载，直接计时已有的基准数据库")


def _months() -> list[dt.date]:
    this = timezone.localdate().replace(day=1)
    return [(this - dt.timedelta(days=1)).replace(day=1), this]


def _benefits(now: str) -> pl.DataFrame:
    """Entitlements by COPY from the loaded households (every 10th 低保, every 40th 特困); returns them."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id, region_id, area_type FROM registry_household WHERE id % 10 = 0 OR id % 40 = 5")
        hh = pl.DataFrame(cur.fetchall(), schema=["household_id", "region_code", "area"], orient="row")
    from doudi.statistics.flows import month_start

    today = timezone.localdate()
    months = [month_start(today, back).isoformat() for back in range(11, -1, -1)]
    ent = hh.with_row_index("id", offset=1).with_columns(
        pl.col("id").cast(pl.Int64),
        program=pl.when(pl.col("household_id") % 10 == 0).then(pl.lit("dibao")).otherwise(pl.lit("tekun")),
        # flows for the dashboards: starts spread over the last 12 months, every 30th ended, every 45th in 渐退
        status=pl.when(pl.col("id") % 30 == 0).then(pl.lit("ended"))
        .when(pl.col("id") % 45 == 0).then(pl.lit("grace")).otherwise(pl.lit("active")),
        monthly_fen=(pl.col("household_id") * 7919 % 150_000 + 30_000),
        covered_members=(pl.col("household_id") % 4 + 1),
        start_month=pl.col("id").map_elements(lambda i: months[i % 12], return_dtype=pl.Utf8),
        end_month=pl.when(pl.col("id") % 30 == 0).then(pl.lit(months[-1])).otherwise(pl.lit(None)),
        grace_start_month=pl.when(pl.col("id") % 45 == 0).then(pl.lit(months[-2])).otherwise(pl.lit(None)),
        basis_area=pl.col("area"), basis_care_level=pl.lit(""), income_rise_reason=pl.lit(""),
        created_at=pl.lit(now))
    copy_frame("benefits_entitlement", ent.select(
        "id", "household_id", "program", "status", "monthly_fen", "covered_members", "start_month", "end_month",
        "grace_start_month", "basis_area", "basis_care_level", "income_rise_reason", "created_at"))
    return ent


def _payrolls(ent: pl.DataFrame, now: str) -> None:
    from django.db import connection

    counties = [f"{CITY}{c:02d}000000" for c in range(1, 11)]
    keys = [(county, program, month) for month in _months() for county in counties for program in ("dibao", "tekun")]
    payrolls = pl.DataFrame(
        {"id": range(1, len(keys) + 1), "region_id": [k[0] for k in keys], "program": [k[1] for k in keys],
         "month": [k[2].isoformat() for k in keys]}
    ).with_columns(batch=pl.lit(1), status=pl.lit("approved"), gen_state=pl.lit("done"), cursor=pl.lit(0),
                   total_count=pl.lit(0), done_count=pl.lit(0), line_count=pl.lit(0), total_fen=pl.lit(0),
                   price_triggered=pl.lit(False), created_at=pl.lit(now))
    copy_frame("payments_payroll", payrolls)
    ids = pl.DataFrame({"payroll_id": range(1, len(keys) + 1), "county": [k[0] for k in keys],
                        "program": [k[1] for k in keys], "month": [k[2].isoformat() for k in keys]},
                       schema_overrides={"payroll_id": pl.Int64})
    frames = []
    for m, month in enumerate(_months()):
        frames.append(ent.with_columns(
            county=pl.col("region_code").str.slice(0, 6) + pl.lit("000000"), month=pl.lit(month.isoformat()),
            reference=pl.format("B{}-{}", pl.lit(m), pl.col("id")),
            line_status=pl.when(pl.col("id") % 50 == 0).then(pl.lit("failed")).otherwise(pl.lit("paid")),
        ).join(ids, on=["county", "program", "month"], how="inner"))
    lines = pl.concat(frames).with_row_index("line_id", offset=1).select(
        id=pl.col("line_id").cast(pl.Int64), payroll_id="payroll_id", entitlement_id="id",
        household_id="household_id", region_code="region_code", program="program", month="month",
        kind=pl.lit("regular"), amount_fen="monthly_fen", persons="covered_members", policy_version=pl.lit(""),
        bank_name=pl.lit("农村信用社"), bank_account=pl.lit("6221000000000000"), account_holder=pl.lit("户主"),
        reference="reference", status="line_status", fail_reason=pl.lit(""), deducted_fen=pl.lit(0))
    copy_frame("payments_payrollline", lines)
    with connection.cursor() as cur:
        cur.execute("UPDATE payments_payroll p SET line_count = s.n, total_fen = s.t FROM (SELECT payroll_id, "
                    "count(*) n, sum(amount_fen) t FROM payments_payrollline GROUP BY payroll_id) s "
                    "WHERE s.payroll_id = p.id")


KINDS = ("consultation", "help", "complaint", "report")


def _tickets(now: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id, substr(region_id, 1, 9) || '000' FROM registry_household WHERE id % 50 = 7")
        rows = pl.DataFrame(cur.fetchall(), schema=["household_id", "region_id"], orient="row")
    today = timezone.localdate()
    overdue = pl.col("household_id") % 500 == 7
    tickets = rows.with_row_index("id", offset=1).select(
        id=pl.col("id").cast(pl.Int64), number=pl.format("RXB{}", pl.col("id")),
        kind=pl.col("household_id").map_elements(lambda i: KINDS[i % 4], return_dtype=pl.Utf8),
        channel=pl.lit("phone"), topic=pl.lit("dibao"), urgent=pl.lit(False),
        summary=pl.lit("基准工单"), caller_name=pl.lit(""), caller_phone=pl.lit(""), anonymous=pl.lit(True),
        external_ref=pl.lit(""), region_id="region_id", department=pl.lit("civil_affairs"),
        status=pl.when(overdue).then(pl.lit("received")).otherwise(pl.lit("closed")), received_at=pl.lit(now),
        acknowledge_due=pl.when(overdue).then(pl.lit((today - dt.timedelta(days=3)).isoformat()))
        .otherwise(pl.lit(today.isoformat())),
        response_due=pl.lit(today.isoformat()), resolution_due=pl.lit((today + dt.timedelta(days=5)).isoformat()),
        resolved_at=pl.when(overdue).then(pl.lit(None)).otherwise(pl.lit(now)),
        reply=pl.lit(""), satisfaction=pl.lit(""))
    copy_frame("hotline_ticket", tickets)


def _populate(n: int, chunk: int) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("TRUNCATE reports_statreport, statistics_figure, statistics_refresh, hotline_ticket, "
                    "payments_payrollline, payments_payroll, benefits_entitlement CASCADE")
    populate_registry(n, chunk)
    now = dt.datetime.now(dt.UTC).isoformat()
    with transaction.atomic():
        ent = _benefits(now)
        _payrolls(ent, now)
        _tickets(now)
    with connection.cursor() as cur:
        for table in ("benefits_entitlement", "payments_payroll", "payments_payrollline", "hotline_ticket"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
            cur.execute(f"VACUUM ANALYZE {table}")


def _users() -> dict:
    from doudi.accounts.models import RegionGrant, User

    users = {}
    for key, role, region in (("city", "civil_affairs", f"{CITY}00000000"),
                              ("county", "civil_affairs", f"{CITY}01000000"),
                              ("township", "township_caseworker", f"{CITY}01001000")):
        user, _c = User.objects.get_or_create(username=f"bench_stats_{key}", defaults={"display_name": key})
        RegionGrant.objects.get_or_create(user=user, region_id=region, role=role)
        users[key] = user
    return users


def _time(client, url: str, runs: int) -> float:
    client.get(url)  # warm-up
    samples = []
    for _i in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return round(statistics.median(samples), 1)


def _background(users) -> tuple[dict[str, Any], int]:
    from doudi.regions.models import Region
    from doudi.reports.build import report_build
    from doudi.reports.services import report_request
    from doudi.statistics.services import statistics_refresh

    out: dict[str, Any] = {}
    start = time.perf_counter()
    statistics_refresh()
    out["refresh_seconds"] = round(time.perf_counter() - start, 2)
    report = report_request(actor=users["city"], region=Region.objects.get(code=f"{CITY}00000000"),
                            kind="monthly", period=_months()[0])
    start = time.perf_counter()
    report = report_build(report_id=report.pk)
    out["report_build_seconds"] = round(time.perf_counter() - start, 2)
    out["report_reconciled"] = report.reconciled
    out["report_due_yuan"] = f"{report.totals['due_fen'] / 100:.2f}"
    return out, report.pk


def run(options: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    use_database(options["database"])
    n = options["households"]
    t0 = time.perf_counter()
    if not options["no_load"]:
        _populate(n, options["chunk"])
    setup = time.perf_counter() - t0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = _users()
    result: dict[str, Any] = {"households": n}
    background, report_id = _background(users)
    result.update(background)
    pages = {"desk": "/desk/", "home": "/", "report_page": f"/desk/statutory/{report_id}/",
             "report_xlsx": f"/desk/statutory/{report_id}/report.xlsx"}
    for who in ("city", "county", "township"):
        client = Client()
        client.force_login(users[who])
        for key, url in {**pages, "evaluation": "/desk/evaluation/",
                         "evaluation_xlsx": "/desk/evaluation/evaluation.xlsx"}.items():
            if (key.startswith("report") and who != "city") or (key.startswith("evaluation") and who == "township"):
                continue
            result[f"{who}_{key}_ms"] = _time(client, url, options["runs"])
    public = Client()
    result["public_county_ms"] = _time(public, f"/open/{CITY}01000000/", options["runs"])
    result["public_village_ms"] = _time(public, f"/open/{CITY}01001001/", options["runs"])
    from doudi.benefits.models import Entitlement
    from doudi.payments.models import PayrollLine
    from doudi.statistics.models import Figure
    from doudi.statistics.selectors import latest_refresh

    result["figure_rows"] = Figure.objects.filter(refresh=latest_refresh()).count()
    result.update({"entitlements": Entitlement.objects.count(), "payroll_lines": PayrollLine.objects.count(),
                   "peak_rss_mb": peak_rss_mb(), "setup_seconds": round(setup, 1), "database": options["database"]})
    return result
