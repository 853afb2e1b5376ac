"""Reads for the case workflow, always scoped to the acting user (fail closed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.choices import FINAL_STATES, State
from doudi.cases.models import (
    Application,
    Attachment,
    Case,
    LocalitySetting,
    PublicNotice,
)
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.benefits.models import Entitlement
    from doudi.rules.procedure import Timelines


def locality(region: Region) -> LocalitySetting:
    """The nearest setting on the region or its ancestors; national defaults (county decides) when none."""
    chain = [r.code for r in region.ancestors()]
    found = {s.region_id: s for s in LocalitySetting.objects.filter(region_id__in=chain)}
    for code in reversed(chain):
        if code in found:
            return found[code]
    return LocalitySetting(region=region)


def actor_reach(actor: User, *, case: Case, action: str) -> int | None:
    """Length of the widest grant prefix allowing ``action`` over the case's village (6 county, 9 township, 12
    village), or None when out of scope."""
    prefixes = [p for p in region_prefixes(actor, action) if case.region_id.startswith(p)]
    return min((len(p) for p in prefixes), default=None)


def investigator_choices(case: Case) -> list:
    """Who may be named as an investigator of the case: active users who may act on it (the change right over its
    village: village assistants, township and county staff)."""
    from django.contrib.auth import get_user_model

    from doudi.accounts.models import RegionGrant
    from doudi.accounts.permissions import ROLE_ACTIONS

    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.CHANGE in actions]
    chain = [r.code for r in case.region.ancestors()]
    grants = RegionGrant.objects.filter(role__in=roles, region_id__in=chain).values("user_id")
    return list(get_user_model().objects.filter(pk__in=grants, is_active=True).order_by("username")[:200])


def case_list_filters(params) -> dict:
    """The case list's filters from a query string: the screen (``views.case_list``) and its export
    (``exports.case_list_export``) both read them here, so the file is always the list on screen. An unknown state
    means all states."""
    state = params.get("state", "")
    return {"state": state if state in State.values else "", "overdue": params.get("overdue") == "1"}


# A case file holds the applicant's statement, investigation findings and the decision: a full record. Roles with
# list-only access (other departments) see the referrals addressed to them, not case files (issue 9).
CASE_FILE = Action.VIEW_FULL


def case_list(*, actor: User, state: str = "", overdue: bool = False, region_code: str = "",
              action: str = CASE_FILE) -> QuerySet:
    # ``decision`` joined: ``is_overdue`` reads it for every rejected case on the page (no query per row).
    qs = Case.objects.restrict(actor, action).select_related(
        "application__applicant", "region", "household", "decision"
    )
    if state:
        qs = qs.filter(state=state)
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    if overdue:
        qs = qs.filter(overdue_q(timezone.localdate()))
    return qs.order_by("step_due", "-id")


def overdue_q(today: dt.date) -> Q:
    """Open cases past their step or overall limit, and rejections whose written notice is late (S1 Art 21)."""
    open_q = ~Q(state__in=FINAL_STATES)
    late = Q(step_due__lt=today) | Q(overall_due__lt=today)
    late_notice = Q(state=State.DECIDED_REJECTED, decision__notice_issued_on__isnull=True,
                    decision__notice_due__lt=today)
    return (open_q & late) | late_notice


def is_overdue(case: Case, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if case.state in FINAL_STATES:
        decision = getattr(case, "decision", None) if case.state == State.DECIDED_REJECTED else None
        return bool(decision and not decision.notice_issued_on and decision.notice_due and decision.notice_due < today)
    return bool((case.step_due and case.step_due < today) or (case.overall_due and case.overall_due < today))


def case_get(*, actor: User, pk: int, action: str = CASE_FILE) -> Case:
    case = (
        Case.objects.restrict(actor, action)
        .select_related("application__applicant", "region", "household", "entitlement", "decision")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
    return case


def case_open(*, actor: User, pk: int) -> Case:
    """The case page or its decision notice: a full record, so every opening is audited."""
    case = case_get(actor=actor, pk=pk)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=case, region_code=case.region_id)
    return case


def application_list(*, actor: User, household_id: int | None = None) -> QuerySet:
    qs = Application.objects.restrict(actor, Action.VIEW).select_related("applicant", "region")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


def household_cases(*, actor: User, household_id: int) -> QuerySet:
    """一户一案: every case of the household the actor may see."""
    return case_list(actor=actor).filter(household_id=household_id).order_by("-created_at")


def person_cases(*, actor: User, person_id: int) -> QuerySet:
    """一人一册: cases where the person applied or was a member of the household at the time."""
    from doudi.registry.models import Membership

    households = Membership.objects.filter(person_id=person_id).values("household_id")
    return case_list(actor=actor).filter(Q(application__applicant_id=person_id) | Q(household_id__in=households))


def public_notices(*, region: Region, today: dt.date | None = None) -> QuerySet:
    """The current 公示 list of a village or township: public, no login, and only the whitelisted fields."""
    today = today or timezone.localdate()
    return (
        PublicNotice.objects.filter(region__code__startswith=region.prefix, withdrawn=False,
                                    starts_on__lte=today, ends_on__gte=today)
        .select_related("region")
        .only("display_name", "household_size", "amount_fen", "category", "starts_on", "ends_on", "region__name")
        .order_by("region__code", "starts_on", "id")
    )


def has_settings_regions(*, actor: User) -> bool:
    """``bool(settings_regions(actor=…))`` without loading up to 200 regions (a link on every case list)."""
    from doudi.cases.services.locality import settings_prefixes

    q = region_q("code", settings_prefixes(actor))
    return q is not None and Region.objects.filter(q, level__in=["county", "township"]).exists()


def settings_regions(*, actor: User) -> list[Region]:
    """Counties and townships whose locality settings ``actor`` (civil affairs / administrator) may change."""
    from doudi.cases.services.locality import settings_prefixes

    q = region_q("code", settings_prefixes(actor))
    if q is None:
        return []
    return list(Region.objects.filter(q, level__in=["county", "township"]).order_by("code")[:200])


def entitlement_for_change(*, actor: User, pk: int) -> Entitlement | None:
    from doudi.benefits.models import Entitlement

    return (Entitlement.objects.restrict(actor, Action.CHANGE).select_related("household", "person")
            .filter(pk=pk).first())


def household_entitlements(*, actor: User, household_id: int) -> list:
    """在保待遇: the household's current entitlements (not ended), for its page."""
    from doudi.benefits.choices import EntitlementStatus
    from doudi.benefits.models import Entitlement

    return list(Entitlement.objects.restrict(actor, Action.VIEW).filter(household_id=household_id)
                .exclude(status=EntitlementStatus.ENDED).select_related("person").order_by("start_month", "id"))


def attachment_list(*, actor: User, application_id: int) -> QuerySet:
    """Supporting documents of one application. ``view_full``: they hold personal data (applicants have it for their
    own household; other departments, with list-only access, do not)."""
    return (Attachment.objects.restrict(actor, Action.VIEW_FULL).filter(application_id=application_id)
            .select_related("uploaded_by", "case"))


def attachment_open(*, actor: User, pk: int) -> Attachment:
    """One document for download: the same 404 for "missing" and "not yours", and every opening is audited
    (S3 Art 61)."""
    found = (Attachment.objects.restrict(actor, Action.VIEW_FULL).select_related("application").filter(pk=pk)
             .first())
    if found is None:
        raise NotFoundOrForbidden(_("未找到该材料，或不在您的辖区内"))
    audit_record(actor=actor, action=AuditAction.VIEW, obj=found, region_code=found.application.region_id,
                 changes={"download": found.original_name})
    return found


@dataclass(frozen=True)
class TemporaryLimitsView:
    """The profile's temporary-assistance figures for a region on a day, each with its source label
    (``rules.temporary.limits``; ``None`` = the profile sets none)."""

    township_limit_fen: int | None
    case_conference_above_fen: int | None
    emergency_payment_hours: int | None
    township_reserve_min_fen: int | None
    sources: dict[str, str]  # "township_limit" → "value · source, from date" (the key after "temporary.")


LIMIT_KEYS = ("temporary.township_limit", "temporary.case_conference_above", "temporary.emergency_payment_hours",
              "temporary.township_reserve_min")


def temporary_limits(region: Region, *, day: dt.date | None = None) -> TemporaryLimitsView:
    from doudi.eligibility.services import params_for
    from doudi.rules.temporary import limits

    params = params_for(region.effective_profile(), as_of=day or timezone.localdate(), area=None)
    lim = limits(params)
    return TemporaryLimitsView(lim.township_limit_fen, lim.case_conference_above_fen, lim.emergency_payment_hours,
                               lim.township_reserve_min_fen, {k.split(".")[1]: params.label(k) for k in LIMIT_KEYS})


def case_timelines(case: Case, *, day: dt.date | None = None) -> Timelines:
    """The procedure timelines (``rules.procedure.Timelines``: 公示 days, investigation start, county opinion,
    totals, rejection notice …) of the case's profile on ``day`` — the national values unless a locality sets its
    own (docs/policy-profiles.md). A value the profile does not set is ``None``: no deadline of that kind."""
    from doudi.eligibility.services import params_for
    from doudi.rules.procedure import timelines

    return timelines(params_for(case.region.effective_profile(), as_of=day or timezone.localdate(), area=None))
