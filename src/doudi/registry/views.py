"""Caseworker screens for the registry: household search, the full household record as of a date, its history,
and small HTMX forms to add or end evidence. Views parse input and call selectors/services; nothing else."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows, region_prefixes, region_span
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.core.paging import paginate
from doudi.core.search import legacy_redirect, redirect_to_list, search_term
from doudi.regions.models import Region
from doudi.registry import selectors, services
from doudi.registry.forms import (
    AsOfForm,
    EvidenceEndForm,
    RecordPost,
    SearchForm,
    evidence_form_class,
    evidence_model,
    kind_choices,
)
from doudi.registry.models import EVIDENCE_MODELS, Evidence, Household, Membership, SelfCareAssessment

PAGE_SIZE = 25


# --- household search -------------------------------------------------------------------------------------------


def _region_choices(user) -> list[tuple[str, str]]:
    """The user's granted regions and their direct children, for the region filter."""
    prefixes = region_prefixes(user, Action.VIEW)
    if not prefixes:
        return []
    # The granted regions themselves (a prefix padded with zeros is the region's code), not every region under
    # them: a city has a thousand villages, and building them cost ~20 ms of every list page.
    # Both in one query: the granted regions (a prefix padded with zeros) and the regions directly below them.
    padded = [p.ljust(12, "0") for p in prefixes]
    rows = list(Region.objects.filter(Q(code__in=padded) | Q(parent_id__in=padded)).order_by("code"))
    tops = [r for r in rows if r.code in padded and r.prefix in prefixes]
    top_codes = {t.code for t in tops}
    children: dict[str, list[Region]] = {}
    for c in rows:
        if c.parent_id in top_codes:
            children.setdefault(c.parent_id, []).append(c)
    choices: list[tuple[str, str]] = []
    for top in sorted(tops, key=lambda r: r.code):
        choices.append((top.prefix, top.name))
        choices.extend((c.prefix, f"　{c.name}") for c in children.get(top.code, []))
    return choices


def _with_heads(households: list[Household], today: dt.date) -> list[Household]:
    """Head and number of current members of the page's households only (one query each).

    Counting members as an annotation of the whole list made PostgreSQL join and group every membership in the
    jurisdiction before it could take the first page (2.9 s for a city of a million households; docs/benchmarks.md).
    """
    selectors.attach_heads(households, attr="", as_of=today)
    counts = dict(Membership.objects.filter(household__in=households).as_of(today).order_by()
                  .values("household_id").annotate(n=Count("id")).values_list("household_id", "n"))
    for h in households:
        h.member_count = counts.get(h.pk, 0)
    return households


def _number_jump(text: str) -> list[str] | None:
    """跳至 a household number: the list is sorted by village, then number, and a number begins with the village code
    (``services`` numbers households so); a village or township code jumps to its first household."""
    text = text.strip()
    if not text.isdigit():
        return None
    return [text[:12].ljust(12, "0"), text] if len(text) > 12 else [text.ljust(12, "0")]


@login_required
@require_http_methods(["GET", "POST"])
def household_list(request):
    """The list. The search form posts (a term may be a full resident ID): the term goes behind a token and the
    browser is sent to the list's URL by GET (``core.search``)."""
    today = timezone.localdate()
    # An old link with an ID in ?q= only moves it behind a token: nothing else of the page is needed for that.
    if request.method != "POST" and (moved := legacy_redirect(request)) is not None:
        return moved
    choices = _region_choices(request.user)
    if request.method == "POST":
        form = SearchForm(request.POST, region_choices=choices)
        if form.is_valid():
            return redirect_to_list(request, term=form.cleaned_data["q"],
                                    params={"region": form.cleaned_data["region"]})
    else:
        data = {"q": search_term(request), "region": request.GET.get("region", "")}
        form = SearchForm(data if any(data.values()) else None, region_choices=choices)
    query = region = ""
    if form.is_valid():
        query, region = form.cleaned_data["q"], form.cleaned_data["region"]
    qs = selectors.household_list(actor=request.user, query=query, region_code=region)
    page = paginate(request, qs, PAGE_SIZE, jump=_number_jump, span=region_span(request.user, Action.VIEW))
    _with_heads(list(page.object_list), today)
    can_export = bool(region_prefixes(request.user, Action.EXPORT))
    # Department staff see the list (to act on referrals) but not full records: no dead links for them.
    can_view_full = bool(region_prefixes(request.user, Action.VIEW_FULL))
    context = {
        "form": form,
        "page": page,
        "can_export": can_export,
        "can_view_full": can_view_full,
        "can_export_full": can_export and can_view_full,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "registry/_household_results.html", context)
    return render(request, "registry/household_list.html", context)


# --- the household record ----------------------------------------------------------------------------------------


def _yuan(fen: int) -> str:
    return _("%(amount)s 元") % {"amount": format_yuan(fen)}


def describe(e: Evidence) -> str:
    """One line a caseworker reads for a piece of evidence."""
    kind = e._meta.model_name
    if kind in ("income", "expense"):
        return f"{e.get_kind_display()} · {_yuan(e.monthly_fen)}/{_('月')}"
    if kind == "employment":
        return " · ".join(x for x in (e.get_status_display(), e.employer) if x)
    if kind == "asset":
        parts = [e.get_kind_display(), _yuan(e.value_fen)]
        if e.quantity != 1:
            parts.append(_("数量 %(n)s") % {"n": e.quantity})
        if e.description:
            parts.append(e.description)
        if e.exempt:
            parts.append(_("生产生活必需（可豁免）"))
        return " · ".join(parts)
    if kind == "disability":
        return f"{e.get_type_display()} · {e.get_grade_display()}"
    if kind == "illness":
        flags = [str(label) for flag, label in ((e.serious, _("重特大疾病")), (e.chronic, _("门诊慢特病"))) if flag]
        return " · ".join([e.diagnosis, *flags])
    if kind == "selfcareassessment":
        failed = [str(SelfCareAssessment._meta.get_field(a).verbose_name) for a in e.ACTIVITIES if not getattr(e, a)]
        text = _("%(n)s/6 项不能自理") % {"n": e.failed_count}
        return f"{text}（{'、'.join(failed)}）" if failed else text
    if kind == "workability":
        return e.get_level_display()
    if kind == "schooling":
        mode = _("全日制") if e.full_time else _("非全日制")
        return " · ".join(x for x in (e.get_level_display(), str(mode), e.school) if x)
    if kind == "circumstance":
        return e.get_kind_display()
    if kind == "supportobligation":
        return f"{e.supporter.name} · {e.get_relationship_display()}"
    return str(e)  # pragma: no cover - every evidence model is handled above


def _parse_as_of(data, today: dt.date) -> tuple[dt.date, str]:
    """The day the page shows, from the link or the post (``as_of``): today when absent; today and a message when
    it is not a date or out of range."""
    form = AsOfForm(data)
    if not form.is_valid():
        return today, _("日期格式不正确，请用 YYYY-MM-DD；已显示今天的情况。")
    day = form.cleaned_data["as_of"] or today
    try:
        services.check_date(day, label=_("查看日期"))
    except DomainError as err:
        return today, err.message + _("；已显示今天的情况。")
    return day, ""


def _members_view(snapshot) -> list[dict]:
    order = {m._meta.model_name: i for i, m in enumerate(EVIDENCE_MODELS)}
    members = []
    facts = selectors.member_facts(snapshot)  # the engine's: counted and why, able to work, care tier
    for m in snapshot.members:
        groups = []
        for kind in sorted(m.evidence, key=order.__getitem__):
            rows = sorted(m.evidence[kind], key=lambda e: (getattr(e, "kind", ""), e.valid_from))
            groups.append(
                {
                    "kind": kind,
                    "label": evidence_model(kind)._meta.verbose_name,
                    "rows": [{"obj": e, "text": describe(e)} for e in rows],
                }
            )
        fact = facts.get(m.person.pk) or {}
        members.append(
            {
                "membership": m.membership,
                "person": m.person,
                "age": m.person.age_on(snapshot.as_of),
                "groups": groups,
                "counted": fact.get("counted"),
                "not_counted_reason": (fact.get("not_counted") or {}).get("text", ""),
                "able_to_work": fact.get("able_to_work"),
                "care_tier": fact.get("care_tier"),
            }
        )
    return members


def _timeline_view(events: list) -> list[dict]:
    rows = []
    for day, kind, obj in events:
        if kind == "membership":
            label, text = _("家庭成员"), obj.get_relationship_display()
        else:
            label, text = obj._meta.verbose_name, describe(obj)
        rows.append({"from": day, "to": obj.valid_to, "person": obj.person, "label": label, "text": text})
    return rows


def _record_context(request, household: Household, as_of: dt.date) -> dict:
    # The single-object form of restrict(): the household is already loaded, no second query for its scope.
    can_change = allows(request.user, Action.CHANGE, household.region_id)
    snapshot, events = selectors.household_record(household, as_of=as_of)
    return {
        "household": household,
        "as_of": as_of,
        "is_today": as_of == timezone.localdate(),
        "members": _members_view(snapshot),
        "timeline": _timeline_view(events),
        "can_change": can_change,
        "kind_choices": kind_choices(),
        "add_form": evidence_form_class("income")() if can_change else None,
        "add_kind": "income",
        # Every membership of the household, past ones included, with its person: already read for the history.
        "member_choices": sorted((obj for _day, kind, obj in events if kind == "membership"),
                                 key=lambda m: (m.valid_from, m.pk)),
        "as_of_value": as_of.isoformat(),
    }


@login_required
def household_detail(request, pk: int):
    try:
        household = selectors.household_view_full(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404(_("未找到该家庭，或不在您的辖区内")) from None
    as_of, as_of_error = _parse_as_of(request.GET, timezone.localdate())
    context = _record_context(request, household, as_of)
    context["as_of_error"] = as_of_error
    return render(request, "registry/household_detail.html", context)


# --- evidence: add and end (HTMX, with a plain-POST fallback) ----------------------------------------------------


def _household_for_change(request, pk: int) -> Household:
    try:
        return selectors.household_get(actor=request.user, pk=pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404(_("未找到该家庭，或不在您的辖区内")) from None


def _member_choices(household: Household):
    return Membership.objects.filter(household=household).select_related("person").order_by("valid_from", "id")


def _member_ids(household: Household) -> set[int]:
    return set(Membership.objects.filter(household=household).values_list("person_id", flat=True))


def _after_change(request, household: Household, message: str) -> HttpResponse:
    """Re-render the record body in place (HTMX) or redirect back to the page (plain POST)."""
    day = RecordPost(request.POST).cleaned()["as_of"]
    if not request.htmx:
        messages.success(request, message)
        url = reverse("registry:household_detail", args=[household.pk])
        return redirect(f"{url}?{urlencode({'as_of': day})}" if day else url)
    as_of, _err = _parse_as_of(request.POST, timezone.localdate())
    context = _record_context(request, household, as_of)
    context["flash"] = message
    response = render(request, "registry/_household_body.html", context)
    return reswap(retarget(response, "#household-body"), "outerHTML")


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request, pk: int):
    household = _household_for_change(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    # "evidence" names the evidence type (which form to show); "kind" is a field of several evidence models.
    kind = source.get("evidence") or "income"
    posted = RecordPost(source).cleaned()
    try:
        form_class = evidence_form_class(kind)
    except ValueError:
        raise Http404(_("未知的证据类型")) from None
    context = {
        "household": household,
        "kind": kind,
        "kind_choices": kind_choices(),
        "member_choices": _member_choices(household),
        "person_id": posted["person"],
        "as_of_value": posted["as_of"],
    }
    if request.method == "GET":
        context["form"] = form_class()
        return render(request, "registry/_evidence_add_form.html", context)

    form = form_class(request.POST)
    context["form"] = form
    error = ""
    if form.is_valid():
        person_id = posted["person_id"]
        if person_id not in _member_ids(household):
            error = _("请选择本户的成员")
        else:
            person = selectors.person_get(actor=request.user, pk=person_id, action=Action.CHANGE)
            try:
                services.evidence_add(actor=request.user, person=person, evidence_type=kind, **form.service_fields())
            except DomainError as err:
                error = err.message
            else:
                label = evidence_model(kind)._meta.verbose_name
                return _after_change(
                    request, household, _("已为%(name)s添加%(kind)s") % {"name": person.name, "kind": label}
                )
    context["error"] = error
    if not request.htmx:
        messages.error(request, error or _("请检查填写的内容"))
        return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/_evidence_add_form.html", context)


@login_required
@require_POST
def evidence_end(request, pk: int, kind: str, evidence_id: int):
    household = _household_for_change(request, pk)
    model = evidence_model(kind)
    if model is None:
        raise Http404(_("未知的证据类型"))
    evidence = (
        model.objects.restrict(request.user, Action.CHANGE)
        .filter(pk=evidence_id, person_id__in=_member_ids(household))
        .select_related("person")
        .first()
    )
    if evidence is None:
        raise Http404(_("未找到该记录，或不在您的辖区内"))
    form = EvidenceEndForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.evidence_end(
                actor=request.user,
                evidence=evidence,
                valid_to=form.cleaned_data["valid_to"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as err:
            error = err.message
        else:
            return _after_change(
                request,
                household,
                _("已终止%(name)s的%(kind)s记录") % {"name": evidence.person.name, "kind": model._meta.verbose_name},
            )
    else:
        error = _("请填写有效的终止日期（YYYY-MM-DD）")
    if not request.htmx:
        messages.error(request, error)
        return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/_evidence_end_form.html",
        {
            "household": household,
            "kind": kind,
            "e": evidence,
            "end_form": form,
            "error": error,
            "as_of_value": RecordPost(request.POST).cleaned()["as_of"],
        },
    )


__all__ = ["evidence_add", "evidence_end", "household_detail", "household_list"]
