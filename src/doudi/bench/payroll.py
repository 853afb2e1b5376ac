"""Payroll benchmark: generate and store one month's payroll for N households in a dedicated PostgreSQL database.

``doudi bench payroll --households 1000000 [--json] [--database doudi_bench]``. The benchmark database (default
``doudi_bench`` on the server of DATABASE_URL, which must be PostgreSQL) is created and migrated if needed, then
filled with N households and N 低保 entitlements by COPY (not timed). The timed part is exactly what an operator
runs: ``payroll_create`` + ``payroll_generate`` (read in chunks, Polars amounts, COPY + INSERT … ON CONFLICT DO
NOTHING, conditional-update claims).
"""

from __future__ import annotations

import time
from typing import Any

import polars as pl

from doudi.bench.common import copy_frame, peak_rss_mb, use_database


def add_arguments(parser) -> None:
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--database", default="doudi_bench", help="专用基准测试数据库名（会被清空）")
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--month", default="2026-03")


def _populate(n: int) -> str:
    """County 990101 with 10 townships × 10 villages; N households; one 低保 entitlement each (not timed)."""
    import datetime as dt

    from django.db import connection, transaction

    from doudi.regions.models import Region

    with connection.cursor() as cur:
        cur.execute("TRUNCATE payments_payrollline, payments_bankreturn, payments_payroll, benefits_entitlement, "
                    "registry_household CASCADE")
    prov, _c = Region.objects.update_or_create(code="990000000000", defaults={"name": "基准省", "level": "province"})
    city, _c = Region.objects.update_or_create(code="990100000000",
                                               defaults={"name": "基准市", "level": "city", "parent": prov})
    county, _c = Region.objects.update_or_create(code="990101000000",
                                                 defaults={"name": "基准县", "level": "county", "parent": city})
    villages = []
    for t in range(1, 11):
        town, _c = Region.objects.update_or_create(code=f"990101{t:03d}000",
                                                   defaults={"name": f"镇{t}", "level": "township", "parent": county})
        for v in range(1, 11):
            vil, _c = Region.objects.update_or_create(code=f"990101{t:03d}{v:03d}",
                                                      defaults={"name": f"村{t}-{v}", "level": "village",
                                                                "parent": town})
            villages.append(vil.code)
    now = dt.datetime.now(dt.UTC).isoformat()
    ids = pl.int_range(1, n + 1, eager=True, dtype=pl.Int64)
    hh = pl.DataFrame({"id": ids}).with_columns(
        number=pl.format("B{}", pl.col("id").cast(pl.String).str.zfill(12)),
        region_id=pl.col("id").mod(100).replace_strict(dict(enumerate(villages)), return_dtype=pl.String),
        has_residence_permit=pl.lit(False), address=pl.lit("基准路1号"),
        area_type=pl.when(pl.col("id") % 3 == 0).then(pl.lit("urban")).otherwise(pl.lit("rural")),
        phone=pl.lit(""), bank_name=pl.lit("农村信用社"),
        bank_account=pl.format("6221{}", pl.col("id").cast(pl.String).str.zfill(14)),
        account_holder=pl.lit("户主"), created_at=pl.lit(now), updated_at=pl.lit(now),
    )
    ent = pl.DataFrame({"household_id": ids}).with_columns(
        id=pl.col("household_id"), program=pl.lit("dibao"), status=pl.lit("active"), monthly_fen=pl.lit(0),
        covered_members=(pl.col("household_id") % 4 + 1), start_month=pl.lit("2024-01-01"),
        basis_area=pl.when(pl.col("household_id") % 3 == 0).then(pl.lit("urban")).otherwise(pl.lit("rural")),
        basis_members=(pl.col("household_id") % 4 + 1), basis_income_fen=(pl.col("household_id") * 7919) % 120_000,
        basis_care_level=pl.lit(""), income_rise_reason=pl.lit(""), created_at=pl.lit(now),
    )
    with transaction.atomic():
        copy_frame("registry_household", hh)
        copy_frame("benefits_entitlement", ent)
    with connection.cursor() as cur:
        cur.execute("SELECT setval(pg_get_serial_sequence('registry_household', 'id'), %s)", [n])
        cur.execute("SELECT setval(pg_get_serial_sequence('benefits_entitlement', 'id'), %s)", [n])
        cur.execute("ANALYZE registry_household; ANALYZE benefits_entitlement")
    return county.code


def run(options: dict[str, Any]) -> dict[str, Any]:
    use_database(options["database"])
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import Payroll

    n = options["households"]
    t0 = time.perf_counter()
    county = _populate(n)
    setup = time.perf_counter() - t0
    month = options["month"]
    start = time.perf_counter()
    y, m = month.split("-")
    import datetime as dt

    payroll = Payroll.objects.create(region_id=county, program="dibao", month=dt.date(int(y), int(m), 1))
    p = payroll_generate(payroll_id=payroll.pk, chunk_size=options["chunk"])
    seconds = time.perf_counter() - start
    return {"households": n, "seconds": round(seconds, 2), "peak_rss_mb": peak_rss_mb(),
            "lines": p.line_count, "total_yuan": f"{p.total_fen / 100:.2f}", "setup_seconds": round(setup, 1),
            "database": options["database"]}
