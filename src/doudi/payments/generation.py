"""Generating a monthly payroll: an idempotent, resumable batch job (STYLE.md 7).

How it stays exactly-once:

1. The database forbids a second line: unique (entitlement, month, kind) and unique (entitlement, month) over the
   kinds that pay the benefit itself; inserts use ON CONFLICT DO NOTHING (PostgreSQL via COPY into a temporary
   table, SQLite via ``bulk_create(ignore_conflicts=True)``).
2. Work is claimed chunk by chunk with a conditional update of the payroll's ``cursor`` (last entitlement id done)
   in the *same transaction* as the chunk's insert. A crash rolls back both, so the rerun redoes exactly that chunk;
   a second operator running at the same time gets 0 rows from the conditional update (PostgreSQL re-checks the
   WHERE after waiting for the first one's row lock) and moves on to the next chunk.
3. ``done_count`` / ``total_count`` on the payroll show the progress; ``gen_state`` ends at ``done`` once.

A line pays the household's account, or the entitlement's payee when it has one (a care agreement's carer,
doudi.care): then the line carries the carer's name and account and still names the person it is for.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError
from doudi.eligibility.services import params_for
from doudi.payments.amounts import add_months, base_amounts
from doudi.payments.choices import BASE_KINDS, KIND_CODE, LIVING_PROGRAMS, GenerationState, PayrollStatus
from doudi.payments.deductions import apply_deductions
from doudi.payments.errors import Code
from doudi.payments.flags import hold_missing_accounts
from doudi.payments.models import OneOffSubsidy, Payroll, PayrollLine, PriceIndex
from doudi.regions.models import Region
from doudi.rules.params import Params
from doudi.rules.price import price_subsidy_expr, triggering_index_bp

if TYPE_CHECKING:
    from doudi.accounts.models import User

C = pl.col
CHUNK = int(os.environ.get("DOUDI_PAYROLL_CHUNK", "20000"))

LINE_COLUMNS = [
    "payroll_id", "entitlement_id", "household_id", "person_id", "region_code", "program", "month", "kind",
    "amount_fen", "persons", "standard_fen", "policy_version", "bank_name", "bank_account", "account_holder",
    "reference", "status", "fail_reason", "reissue_of_id", "deducted_fen", "deduction_id",
]

_SELECT = """
SELECT e.id, e.household_id, e.person_id, e.program, e.status, e.monthly_fen, e.covered_members, e.start_month,
       e.end_month, e.basis_area, e.basis_members, e.basis_income_fen, e.basis_care_level, e.basis_amount_fen,
       e.grace_end_month,
       h.region_id, h.area_type,
       CASE WHEN e.payee_name <> '' THEN e.payee_bank_name ELSE h.bank_name END,
       CASE WHEN e.payee_name <> '' THEN e.payee_bank_account ELSE h.bank_account END,
       CASE WHEN e.payee_name <> '' THEN e.payee_name ELSE h.account_holder END, p.date_of_death
FROM benefits_entitlement e
JOIN registry_household h ON h.id = e.household_id
LEFT JOIN registry_person p ON p.id = e.person_id
WHERE e.program = %s AND h.region_id LIKE %s AND e.start_month <= %s AND e.id > %s
ORDER BY e.id
LIMIT %s
"""
_COUNT = """
SELECT count(*) FROM benefits_entitlement e JOIN registry_household h ON h.id = e.household_id
WHERE e.program = %s AND h.region_id LIKE %s AND e.start_month <= %s
"""
_COLS = ["ent_id", "household_id", "person_id", "program", "status", "monthly_fen", "covered_members",
         "start_month", "end_month", "basis_area", "basis_members", "basis_income_fen", "basis_care_level",
         "basis_amount_fen", "grace_end_month", "region_code", "area", "bank_name", "bank_account", "account_holder",
         "person_dod"]
_SCHEMA = {"ent_id": pl.Int64, "household_id": pl.Int64, "person_id": pl.Int64, "program": pl.String,
           "status": pl.String, "monthly_fen": pl.Int64, "covered_members": pl.Int64, "start_month": pl.Date,
           "end_month": pl.Date, "basis_area": pl.String, "basis_members": pl.Int64, "basis_income_fen": pl.Int64,
           "basis_care_level": pl.String, "basis_amount_fen": pl.Int64, "grace_end_month": pl.Date,
           "region_code": pl.String, "area": pl.String,
           "bank_name": pl.String, "bank_account": pl.String, "account_holder": pl.String, "person_dod": pl.Date}


class PayrollError(DomainError):
    code = "payroll_error"


def _to_date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _frame(rows: list[tuple]) -> pl.DataFrame:
    if connection.vendor != "postgresql":  # SQLite returns dates as text
        date_idx = [i for i, c in enumerate(_COLS) if _SCHEMA[c] == pl.Date]
        rows = [tuple(_to_date(v) if i in date_idx else v for i, v in enumerate(r)) for r in rows]
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


@dataclass
class Context:
    """Everything a chunk needs that does not change while the job runs (parameters cached per month)."""

    payroll: Payroll
    profiles: dict[str, str] = field(default_factory=dict)
    params: dict[dt.date, dict[tuple[str, str], Params]] = field(default_factory=dict)
    price_bp: int = 0  # the triggering index, 0 = price linkage not triggered this month
    one_offs: list[tuple[str, int]] = field(default_factory=list)
    prior: list[tuple[str, dt.date]] = field(default_factory=list)  # (region prefix, month) of earlier payrolls

    def profile_of(self, region_code: str) -> str:
        if region_code not in self.profiles:
            self.profiles[region_code] = Region.objects.get(pk=region_code).effective_profile()
        return self.profiles[region_code]

    def params_for(self, month: dt.date, profiles: set[str]) -> dict[tuple[str, str], Params]:
        cache = self.params.setdefault(month, {})
        for prof in profiles:
            for area in ("urban", "rural"):
                if (prof, area) not in cache:
                    cache[(prof, area)] = params_for(prof, as_of=month, area=area)
        return cache


def _context(payroll: Payroll) -> Context:
    ctx = Context(payroll=payroll)
    region = payroll.region
    params = params_for(region.effective_profile(), as_of=payroll.month, area=None)
    # 物价联动: the most specific price index entered for a region containing this jurisdiction.
    indexes = [pi for pi in PriceIndex.objects.filter(month=payroll.month).select_related("region")
               if payroll.region_id.startswith(pi.region.prefix)]
    if indexes:
        pi = max(indexes, key=lambda x: len(x.region.prefix))
        ctx.price_bp = triggering_index_bp(params, cpi_yoy_bp=pi.cpi_yoy_bp, food_cpi_yoy_bp=pi.food_cpi_yoy_bp)
    for o in OneOffSubsidy.objects.filter(program=payroll.program, month=payroll.month).select_related("region"):
        if o.region.prefix.startswith(region.prefix) or region.prefix.startswith(o.region.prefix):
            ctx.one_offs.append((o.region.prefix, o.per_person_fen))
    ctx.one_offs.sort(key=lambda x: -len(x[0]))
    ctx.prior = [(p.region.prefix, p.month) for p in Payroll.objects.filter(
        program=payroll.program, month__lt=payroll.month, batch=1).select_related("region")]
    return ctx


def _reference(month: pl.Expr, kind: str) -> pl.Expr:
    return pl.concat_str([month.dt.strftime("%Y%m"), pl.lit(KIND_CODE[kind]),
                          C("ent_id").cast(pl.String).str.zfill(10)])


def _lines(paid: pl.DataFrame, payroll_id: int, month: dt.date, kind: str | None = None,
           amount: pl.Expr | None = None) -> pl.DataFrame:
    kind_expr = pl.lit(kind) if kind else C("kind")
    if kind:
        paid = paid.with_columns(kind=pl.lit(kind))
    out = paid.with_columns(amount_fen=amount if amount is not None else C("amount_fen"))
    refs = [out.filter(C("kind") == k).with_columns(reference=_reference(pl.lit(month), k)) for k in
            out["kind"].unique().to_list()]
    out = pl.concat(refs) if refs else out.with_columns(reference=pl.lit("", pl.String))
    return out.select(
        payroll_id=pl.lit(payroll_id, pl.Int64), entitlement_id=C("ent_id"), household_id=C("household_id"),
        person_id=C("person_id"), region_code=C("region_code"), program=C("program"), month=pl.lit(month),
        kind=kind_expr, amount_fen=C("amount_fen").cast(pl.Int64), persons=C("persons").cast(pl.Int64),
        standard_fen=C("standard_fen"), policy_version=C("version"), bank_name=C("bank_name").fill_null(""),
        bank_account=C("bank_account").fill_null(""), account_holder=C("account_holder").fill_null(""),
        reference=C("reference"), status=pl.lit("pending"), fail_reason=pl.lit(""),
        reissue_of_id=pl.lit(None, pl.Int64),
    ).filter(C("amount_fen") > 0)


def build_lines(df: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """All lines for one chunk of entitlements: the month's benefit, back pay, price subsidy, one-off subsidy."""
    payroll, month = ctx.payroll, ctx.payroll.month
    if df.is_empty():
        return pl.DataFrame(schema={c: pl.Int64 for c in LINE_COLUMNS})
    df = df.with_columns(profile=C("region_code").map_elements(ctx.profile_of, return_dtype=pl.String))
    profiles = set(df["profile"].unique().to_list())
    paid = base_amounts(df, month, ctx.params_for(month, profiles))
    parts = [_lines(paid, payroll.pk, month)]
    # Price linkage and one-off subsidies top up living assistance, not a carer's fee (doudi.care).
    current = paid.filter(C("kind").is_in(["regular", "grace"]) & C("program").is_in(LIVING_PROGRAMS))
    if ctx.price_bp:
        # the engine's formula (rules.price): per person = standard × the triggering index, half up to the yuan
        priced = current.filter(C("standard_fen").is_not_null())
        parts.append(_lines(priced, payroll.pk, month, "price",
                            price_subsidy_expr(C("standard_fen"), C("persons"), ctx.price_bp)))
    if ctx.one_offs:
        amount = pl.lit(0, pl.Int64)
        for prefix, fen in reversed(ctx.one_offs):  # most specific decision wins
            amount = pl.when(C("region_code").str.starts_with(prefix)).then(pl.lit(fen, pl.Int64)).otherwise(amount)
        parts.append(_lines(current, payroll.pk, month, "one_off", amount * C("persons")))
    parts.extend(_back_pay(df, ctx, profiles))
    parts = [p for p in parts if not p.is_empty()]
    return pl.concat(parts, how="vertical_relaxed") if parts else parts


def _back_pay(df: pl.DataFrame, ctx: Context, profiles: set[str]) -> list[pl.DataFrame]:
    """补发: months since the entitlement's start that had a payroll for this household's area but no line for it
    (the decision came after that payroll). Paid once — the (entitlement, month) constraint sees to that."""
    month = ctx.payroll.month
    cand = df.filter(C("start_month") < month)
    if cand.is_empty() or not ctx.prior:
        return []
    ids = cand["ent_id"].to_list()
    have = set(PayrollLine.objects.filter(entitlement_id__in=ids, month__lt=month, kind__in=BASE_KINDS)
               .values_list("entitlement_id", "month"))
    out = []
    by_month: dict[dt.date, list[int]] = {}
    for row in cand.select("ent_id", "start_month", "region_code").iter_rows():
        ent, start, code = row
        for prefix, m in ctx.prior:
            if start <= m < month and code.startswith(prefix) and (ent, m) not in have:
                by_month.setdefault(m, []).append(ent)
    for m, ents in sorted(by_month.items()):
        sub = cand.filter(C("ent_id").is_in(sorted(set(ents))))
        paid = base_amounts(sub, m, ctx.params_for(m, profiles)).filter(C("kind") == "regular")
        out.append(_lines(paid, ctx.payroll.pk, m, "backpay"))
    return out


def insert_lines(lines: pl.DataFrame) -> int:
    """Insert, skipping any line that already exists (ON CONFLICT DO NOTHING). Call inside a transaction."""
    if isinstance(lines, list) or lines.is_empty():
        return 0
    lines = lines.select(LINE_COLUMNS)
    if connection.vendor == "postgresql":
        buf = io.BytesIO()
        lines.write_csv(buf, include_header=False, null_value="\\N", date_format="%Y-%m-%d")
        cols = ", ".join(LINE_COLUMNS)
        with connection.cursor() as cur:
            # Column names are the constant LINE_COLUMNS, never user input.
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS payline_stage AS SELECT {cols} "  # noqa: S608
                        "FROM payments_payrollline WITH NO DATA")
            cur.execute("TRUNCATE payline_stage")
            with cur.cursor.copy(f"COPY payline_stage ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as cp:
                cp.write(buf.getvalue())
            cur.execute(f"INSERT INTO payments_payrollline ({cols}) SELECT {cols} FROM payline_stage "  # noqa: S608
                        "ON CONFLICT DO NOTHING")
            return cur.rowcount
    objs = [PayrollLine(**row) for row in lines.iter_rows(named=True)]
    PayrollLine.objects.bulk_create(objs, batch_size=2000, ignore_conflicts=True)
    return len(objs)


def _fetch(payroll: Payroll, cursor_id: int, size: int) -> pl.DataFrame:
    prefix = payroll.region.prefix + "%"
    with connection.cursor() as cur:
        cur.execute(_SELECT, [payroll.program, prefix, payroll.month, cursor_id, size])
        return _frame(cur.fetchall())


def payroll_count(payroll: Payroll) -> int:
    with connection.cursor() as cur:
        cur.execute(_COUNT, [payroll.program, payroll.region.prefix + "%", payroll.month])
        return int(cur.fetchone()[0])


def payroll_generate(*, payroll_id: int, actor: User | None = None, chunk_size: int | None = None,
                     after_insert: Callable[[int], None] | None = None) -> Payroll:
    """Generate (or resume generating) a draft payroll. Safe to run twice, after a crash, or concurrently."""
    payroll = Payroll.objects.select_related("region").get(pk=payroll_id)
    if payroll.batch != 1:
        raise PayrollError(_("补充名册只包含重发记录，不能重新生成"), code=Code.SUPPLEMENTARY)
    if payroll.gen_state == GenerationState.DONE:
        return payroll
    if payroll.status != PayrollStatus.DRAFT:
        raise PayrollError(_("名册已审核或审批，不能再生成"), code=Code.FROZEN)
    size = chunk_size or CHUNK
    if payroll.gen_state == GenerationState.PENDING:
        Payroll.objects.filter(pk=payroll.pk, gen_state=GenerationState.PENDING).update(
            gen_state=GenerationState.RUNNING, total_count=payroll_count(payroll), heartbeat_at=timezone.now())
    ctx = _context(payroll)
    Payroll.objects.filter(pk=payroll.pk).update(price_triggered=bool(ctx.price_bp))
    while True:
        state = Payroll.objects.values("cursor", "status", "gen_state").get(pk=payroll.pk)
        if state["status"] != PayrollStatus.DRAFT or state["gen_state"] == GenerationState.DONE:
            break
        cursor_id = state["cursor"]
        df = _fetch(payroll, cursor_id, size)
        if df.is_empty():
            break
        lines = build_lines(df, ctx)
        with transaction.atomic():
            claimed = Payroll.objects.filter(pk=payroll.pk, cursor=cursor_id, status=PayrollStatus.DRAFT).update(
                cursor=int(df["ent_id"].max()), done_count=F("done_count") + df.height, heartbeat_at=timezone.now())
            if not claimed:
                continue  # another run took this chunk; read the cursor again
            insert_lines(apply_deductions(lines) if not isinstance(lines, list) else lines)
            if after_insert is not None:  # test hook: a crash here must roll back the claim with the insert
                after_insert(cursor_id)
    return _finish(payroll, actor)


def _finish(payroll: Payroll, actor: User) -> Payroll:
    with transaction.atomic():
        # Flag at generation what the bank cannot pay: a line without an account is held, so the caseworker sees
        # it now (not at export) and the rest of the payroll is not stuck behind it (payments.holds).
        held = hold_missing_accounts(payroll)
        agg = PayrollLine.objects.filter(payroll=payroll).aggregate(n=Count("id"), total=Sum("amount_fen"))
        done = Payroll.objects.filter(pk=payroll.pk, status=PayrollStatus.DRAFT).exclude(
            gen_state=GenerationState.DONE).update(
            gen_state=GenerationState.DONE, line_count=agg["n"] or 0, total_fen=agg["total"] or 0,
            done_count=F("total_count"), heartbeat_at=timezone.now())
        payroll.refresh_from_db()
        if done:
            audit_record(actor=actor, action=AuditAction.CREATE, obj=payroll, region_code=payroll.region_id,
                         changes={"generated_lines": payroll.line_count, "held_lines": held,
                                  "total_fen": payroll.total_fen,
                                  "price_triggered": payroll.price_triggered})
    return payroll


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out
