"""Bank files (docs/bank-format.md): the payment file sent to the bank and the return file (回盘) it sends back.

Payment file columns: 序号, 户名, 账号, 开户行, 金额(元, two decimals), 摘要, 流水号 (the line's stable reference).
Return file columns: 流水号, 账号, 金额, 状态 (成功/失败), 失败原因. Amounts are parsed to integer fen, never float.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core import exports
from doudi.core.money import InvalidAmount, fen_to_yuan, yuan_to_fen
from doudi.payments.choices import LineStatus, PayrollStatus
from doudi.payments.errors import Code
from doudi.payments.generation import PayrollError
from doudi.payments.models import BankReturn, Payroll, PayrollLine
from doudi.payments.services import payroll_get_for_update, payroll_transition

if TYPE_CHECKING:
    from doudi.accounts.models import User

HEADER = ["序号", "户名", "账号", "开户行", "金额", "摘要", "流水号"]
SHEET = "代发明细"
WIDTHS = (8, 14, 24, 24, 12, 30, 22)
RETURN_HEADER = ["流水号", "账号", "金额", "状态", "失败原因"]
OK, FAIL = "成功", "失败"


def _summary(payroll: Payroll, line: PayrollLine) -> str:
    return f"{line.month:%Y年%m月}{line.get_program_display()}{line.get_kind_display()}"


def _to_send(payroll: Payroll):
    """The lines that go to the bank. Held lines (no account) stay out of the bank file; they are paid later
    (payments.holds). A line whose whole amount was withheld for a recovery (deducted) has nothing to pay."""
    return payroll.lines.exclude(status=LineStatus.HELD).filter(amount_fen__gt=0)


def export_rows(payroll: Payroll) -> list[list[str]]:
    rows = []
    lines = _to_send(payroll).order_by("region_code", "household_id", "month", "kind", "id")
    for i, ln in enumerate(lines.iterator(chunk_size=5000), start=1):
        rows.append([str(i), ln.account_holder, ln.bank_account, ln.bank_name, f"{fen_to_yuan(ln.amount_fen):.2f}",
                     _summary(payroll, ln), ln.reference])
    return rows


def _check_exportable(actor: User, payroll_id: int) -> Payroll:
    payroll = Payroll.objects.restrict(actor, Action.EXPORT).filter(pk=payroll_id).first()
    if payroll is None:
        from doudi.core.errors import NotFoundOrForbidden

        raise NotFoundOrForbidden(_("未找到该发放名册，或不在您的辖区内"))
    if not Payroll.objects.restrict(actor, Action.CHANGE).filter(pk=payroll_id).exists():
        # The bank file carries full account numbers and moves the payroll on: for the paying office only, never
        # for read-only roles (auditors export the masked lists instead).
        from doudi.core.errors import PermissionDenied

        raise PermissionDenied(_("银行文件含完整账号，只能由发放经办人员导出"))
    if payroll.status not in (PayrollStatus.APPROVED, PayrollStatus.EXPORTED, PayrollStatus.RECONCILED):
        raise PayrollError(_("名册审批后才能导出银行文件"), code=Code.NOT_APPROVED)
    # only what would be sent: a wholly withheld line without an account has nothing to pay and nothing to hold
    missing = _to_send(payroll).filter(bank_account="").count()
    if missing:
        raise PayrollError(
            _("有%(n)s笔记录缺少银行账号：请在名册页“暂缓缺账号的记录”，其余记录即可导出") % {"n": missing},
            code=Code.MISSING_ACCOUNT)
    return payroll


def export_bank_file(*, actor: User, payroll_id: int, fmt: str = "csv") -> tuple[str, bytes]:
    """Return (filename, content). The first export moves the payroll to 已导出; the file is audited."""
    payroll = _check_exportable(actor, payroll_id)
    rows = export_rows(payroll)
    name = f"payroll-{payroll.region_id}-{payroll.program}-{payroll.month:%Y%m}-{payroll.batch}.{fmt}"
    # The one spreadsheet writer (core.exports): every cell here is text, and a text cell that a spreadsheet would
    # read as a formula gets a leading apostrophe (docs/bank-format.md, "Formula-like text").
    if fmt == "xlsx":
        content = exports.xlsx_file(HEADER, rows, title=SHEET, widths=WIDTHS).read()
    else:
        content = exports.csv_bytes(HEADER, rows)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.EXPORT, obj=payroll, region_code=payroll.region_id,
                     changes={"format": fmt, "rows": len(rows)})
        if payroll.status == PayrollStatus.APPROVED:
            payroll_transition(actor=actor, payroll_id=payroll.pk, to=PayrollStatus.EXPORTED)
    return name, content


def _read_return(content: bytes, filename: str) -> list[dict[str, str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(content), read_only=True).active
        it = ws.iter_rows(values_only=True)
        header = [str(c or "").strip() for c in next(it)]
        rows = [dict(zip(header, ["" if c is None else str(c).strip() for c in r], strict=False)) for r in it]
    else:
        text = content.decode("utf-8-sig")
        rows = [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]
    missing = [h for h in ("流水号", "金额", "状态") if rows and h not in rows[0]]
    if missing:
        raise PayrollError(_("回盘文件缺少列：%(c)s") % {"c": "、".join(missing)}, code=Code.BAD_RETURN_FILE)
    return [r for r in rows if r.get("流水号")]


@dataclass
class Reconciliation:
    expected_fen: int = 0
    paid_fen: int = 0
    failed_fen: int = 0
    pending: int = 0
    held: int = 0  # lines not sent to the bank (no account): outside this payroll's bank reconciliation
    held_fen: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.errors and self.pending == 0 and self.paid_fen + self.failed_fen == self.expected_fen


def reconciliation(payroll: Payroll) -> Reconciliation:
    r = Reconciliation()
    by = dict(payroll.lines.values_list("status").annotate(t=Sum("amount_fen")))
    r.held_fen = by.pop(LineStatus.HELD, 0)
    r.held = payroll.lines.filter(status=LineStatus.HELD).count()
    r.expected_fen = sum(by.values())
    r.paid_fen, r.failed_fen = by.get(LineStatus.PAID, 0), by.get(LineStatus.FAILED, 0)
    r.pending = payroll.lines.filter(status=LineStatus.PENDING).count()
    return r


def import_bank_return(*, actor: User, payroll_id: int, content: bytes, filename: str) -> Reconciliation:
    """Apply the bank's return file. Re-importing the same file changes nothing; a line already resolved
    differently, an unknown 流水号 or an amount that differs by even one fen is an error and nothing is applied."""
    rows = _read_return(content, filename)
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.IMPORT)
        if payroll.status not in (PayrollStatus.EXPORTED, PayrollStatus.RECONCILED):
            raise PayrollError(_("名册导出银行文件后才能导入回盘"), code=Code.NOT_EXPORTED)
        lines = {ln.reference: ln for ln in payroll.lines.all()}
        errors, changes = [], []
        for i, row in enumerate(rows, start=2):
            ref = row["流水号"]
            ln = lines.get(ref)
            if ln is None:
                errors.append(_("第%(i)s行：流水号%(r)s不在本名册") % {"i": i, "r": ref})
                continue
            try:
                fen = yuan_to_fen(row["金额"])
            except InvalidAmount as exc:
                errors.append(_("第%(i)s行：%(e)s") % {"i": i, "e": exc.message})
                continue
            if fen != ln.amount_fen:
                errors.append(_("第%(i)s行：金额%(a)s与名册%(b)s不符") % {
                    "i": i, "a": row["金额"], "b": fen_to_yuan(ln.amount_fen)})
                continue
            status = {OK: LineStatus.PAID, FAIL: LineStatus.FAILED}.get(row["状态"])
            if status is None:
                errors.append(_("第%(i)s行：状态须为“成功”或“失败”") % {"i": i})
                continue
            if ln.status != LineStatus.PENDING and ln.status != status:
                errors.append(_("第%(i)s行：流水号%(r)s已登记为%(s)s") % {"i": i, "r": ref,
                                                                    "s": ln.get_status_display()})
                continue
            if ln.status == LineStatus.PENDING:
                ln.status, ln.fail_reason = status, (row.get("失败原因") or "")[:200] if status == "failed" else ""
                changes.append(ln)
        if errors:
            raise PayrollError("；".join(errors[:20]), code=Code.BAD_RETURN_ROWS)
        PayrollLine.objects.bulk_update(changes, ["status", "fail_reason"], batch_size=5000)
        rec = reconciliation(payroll)
        BankReturn.objects.create(payroll=payroll, filename=filename[:200], rows=len(rows), paid_fen=rec.paid_fen,
                                  failed_fen=rec.failed_fen, imported_by=actor)
        audit_record(actor=actor, action=AuditAction.IMPORT, obj=payroll, region_code=payroll.region_id,
                     changes={"rows": len(rows), "updated": len(changes), "paid_fen": rec.paid_fen,
                              "failed_fen": rec.failed_fen})
        if rec.balanced and payroll.status == PayrollStatus.EXPORTED:
            payroll_transition(actor=actor, payroll_id=payroll.pk, to=PayrollStatus.RECONCILED)
    return rec
