"""Decision and rejection notices (确认通知书 / 不予批准通知书) as PDF, rendered by WeasyPrint with Noto CJK.

Only what the notice needs: the applicant's name, village, household size, program, amount, start month, reasons and
the appeal rights (S1 Art 38). Never an ID number, health detail or bank account.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from doudi.cases.choices import DecisionOutcome
from doudi.cases.models import Case
from doudi.cases.services.notices import issuing_region
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.registry.models import Membership
from doudi.rules.grace import granted


def decision_context(case: Case) -> dict:
    decision = getattr(case, "decision", None)
    if decision is None:
        raise NotFoundOrForbidden("该案件尚未作出决定")
    day = decision.decided_on
    size = Membership.objects.filter(household=case.household).as_of(day).count()
    county = next((r for r in case.region.ancestors() if r.level == "county"), None)
    issuer = issuing_region(case)
    return {
        "case": case,
        "decision": decision,
        "approved": decision.outcome == DecisionOutcome.APPROVE,
        "applicant": case.application.applicant.name,
        "village": case.region.full_name(),
        "household_size": size,
        "amount": format_yuan(decision.monthly_fen) if decision.monthly_fen is not None else "",
        "issuer": issuer.office(),
        "issuer_phone": issuer.nearest_phone(),
        # Decisions made before numbering began show none rather than an invented one.
        "document_number": decision.document_number,
        "county_government": f"{county.name}人民政府" if county else "上一级人民政府",
        "printed_on": timezone.localdate(),
        "grace": grace_period(case, decision),
    }


def grace_period(case: Case, decision) -> dict | None:
    """The 渐退 period the notice states, as the engine fixed it (last paid month = start + N − 1, rules.grace):
    the entitlement's stored period when it is in 渐退, else the decision's evaluation when it granted one."""
    ent = getattr(case, "entitlement", None)
    if ent is not None and ent.status == "grace" and ent.grace_end_month and ent.grace_start_month:
        return {"start": ent.grace_start_month, "months": ent.grace_months, "last": ent.grace_end_month}
    g = ((decision.evaluation.result or {}).get("grace") if decision.evaluation_id else None) or {}
    if granted(g):
        return {"start": dt.date.fromisoformat(g["start_month"] + "-01"), "months": g["months"],
                "last": dt.date.fromisoformat(g["last_paid_month"] + "-01")}
    return None


def decision_pdf(case: Case) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cases/pdf/decision.html", decision_context(case))
    return HTML(string=html).write_pdf()
