"""The case list, the case page and the one step button (every move goes through ``case_transition``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.cases import selectors, services, workflow
from doudi.cases.choices import (
    FINAL_STATES,
    AppealKind,
    AttachmentKind,
    InvestigationKind,
    State,
)
from doudi.cases.services.verification import case_verification
from doudi.cases.views.shared import after_then_case, case_or_404, parse_lines
from doudi.core.money import format_yuan, yuan_to_fen
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedText
from doudi.relatives.selectors import has_staff_regions


@login_required
def case_list(request):
    filters = selectors.case_list_filters(request.GET)
    page = paginate(request, selectors.case_list(actor=request.user, **filters))
    cases = list(page.object_list)
    today = timezone.localdate()
    for c in cases:
        c.overdue = selectors.is_overdue(c, today=today)
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": cases,
            "page": page,
            "states": State.choices,
            "state": filters["state"],
            "overdue": filters["overdue"],
            "can_relatives": has_staff_regions(actor=request.user),
            "can_settings": selectors.has_settings_regions(actor=request.user),
        },
    )


@login_required
def case_detail(request, pk: int):
    # The caseworker's page shows internal notes (relatives register, investigators, staff names). Applicants, who
    # reach their own cases through the applicant scope, follow them on their self-service page instead.
    if not region_prefixes(request.user, Action.VIEW):
        case_or_404(request, pk)
        return redirect("selfservice:home")
    case = case_or_404(request, pk, audited=True)
    steps = services.next_steps(request.user, case=case)
    spec = workflow.workflow_spec(case.workflow)
    can_change = selectors.actor_reach(request.user, case=case, action=Action.CHANGE) is not None
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "app": case.application,
            "transitions": case.transitions.select_related("actor"),
            "investigations": case.investigations.prefetch_related("signatures__investigator"),
            "investigator_choices": selectors.investigator_choices(case) if can_change else [],
            "notices": case.notices.all(),
            "objections": case.objections.all(),
            "decision": getattr(case, "decision", None),
            "panel": spec.panel,  # the workflow's own records (e.g. temporary assistance), from its app
            "appeals": case.appeals.all(),
            "feedback_items": list(case.application.feedback_items.all()),
            "attachments": list(selectors.attachment_list(actor=request.user, application_id=case.application_id)),
            "attachment_kinds": AttachmentKind.choices,
            "steps": steps,
            # The usual way forward first; returning, objections, rejection and termination are kept one click away.
            "main_steps": _buttons(spec, [s for s in steps if s not in EXCEPTIONAL_STEPS]),
            "other_steps": _buttons(spec, [s for s in steps if s in EXCEPTIONAL_STEPS]),
            "current_notice": case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first(),
            "can_change": can_change,
            "overdue": selectors.is_overdue(case),
            "investigation_kinds": InvestigationKind.choices,
            "appeal_kinds": AppealKind.choices,
            "final": case.state in FINAL_STATES,
            "today": timezone.localdate(),
            "amount": format_yuan,
            "verification": case_verification(actor=request.user, case=case)
            if case.workflow != "emergency" else None,
        },
    )


# What the button says: the action, not the state it leads to.
STEP_VERBS = {
    State.SUBMITTED: gettext_lazy("补正后重新提交"),
    State.RETURNED: gettext_lazy("一次性告知补正"),
    State.ACCEPTED: gettext_lazy("受理"),
    State.VERIFYING: gettext_lazy("发起家庭经济状况核对"),
    State.INVESTIGATING: gettext_lazy("开始入户调查"),
    State.TOWNSHIP_REVIEWED: gettext_lazy("提交乡镇初审意见"),
    State.PUBLIC_NOTICE: gettext_lazy("张贴公示（7天）"),
    State.OBJECTION: gettext_lazy("登记公示异议"),
    State.REINVESTIGATING: gettext_lazy("重新调查"),
    State.ADVANCE_PAID: gettext_lazy("先行救助（备用金支付）"),
    State.DECIDED_APPROVED: gettext_lazy("批准"),
    State.DECIDED_REJECTED: gettext_lazy("不予批准"),
    State.TERMINATED: gettext_lazy("终止审核"),
    State.CLOSED: gettext_lazy("补齐手续并办结"),
}
EXCEPTIONAL_STEPS = frozenset({State.RETURNED, State.OBJECTION, State.DECIDED_REJECTED, State.TERMINATED})


def _buttons(spec: workflow.WorkflowSpec, states: list[str]) -> list[tuple[str, str, str]]:
    """(target state, what the button says, the template of the step's own inputs or "") for each step."""
    return [(s, STEP_VERBS.get(s, State(s).label), spec.step_fields.get(s, "")) for s in states]


class StepForm(PostedForm):
    """The step button: the target state, the reason, and the step's own inputs (``workflow.StepData``)."""

    to_state = PostedText()
    reason = PostedText()
    missing_items = PostedText()
    reasons = PostedText()
    content = PostedText()
    signed_by = PostedText()
    amount = PostedText()
    approved = PostedText()

    def clean(self):
        d = super().clean()
        amounts = {f"{key}_fen": self.parse(yuan_to_fen, d[key]) for key in ("amount", "approved") if d[key]}
        d["data"] = workflow.StepData(
            missing_items=parse_lines(d["missing_items"]), reasons=parse_lines(d["reasons"]), content=d["content"],
            signed_by=parse_lines(d["signed_by"]), **amounts,
        )
        return d


@login_required
@require_POST
def case_step(request, pk: int):
    form = StepForm(request.POST)
    form.is_valid()  # a bad amount is reported by ``cleaned()`` inside the step, as the step's own error

    def go():
        d = form.cleaned()
        services.case_transition(actor=request.user, case=pk, to_state=d["to_state"], reason=d["reason"],
                                 data=d["data"])

    to_state = form.cleaned_data["to_state"]
    done = _("已办理：%(state)s") % {"state": State(to_state).label} if to_state in State.values else _("已办理")
    return after_then_case(request, pk, go, done)
