"""The archives (一户一案, 一人一册) and the public notice board (公示栏)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.cases import selectors
from doudi.cases.services.notices import notice_issuer
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.selectors import household_get, person_get


@login_required
def household_archive(request, pk: int):
    """一户一案: every application, case, decision and notice of a household."""
    try:
        household = household_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    cases = selectors.household_cases(actor=request.user, household_id=pk)
    links = {
        "can_view_full": allows(request.user, Action.VIEW_FULL, household.region_id),
        "can_change": allows(request.user, Action.CHANGE, household.region_id),
    }
    return render(
        request,
        "cases/archive.html",
        {
            "title": _("一户一案 · %(number)s") % {"number": household.number},
            "cases": cases,
            "household": household,
            **links,
        },
    )


@login_required
def person_archive(request, pk: int):
    """一人一册: every case the person applied in or was a household member of."""
    try:
        person = person_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    cases = selectors.person_cases(actor=request.user, person_id=pk)
    title = _("一人一册 · %(name)s") % {"name": person.name}
    return render(request, "cases/archive.html", {"title": title, "cases": cases, "person": person})


def public_notice(request, region_code: str):
    """公示栏: no login. Only name, household size, amount, category and village (national-rules §7)."""
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=region_code)
    rows = selectors.public_notices(region=region)
    # Who posts it and where to complain come from the region data (办理机关名称, 监督投诉电话), never constants.
    issuer = notice_issuer(region)
    county = next((r for r in issuer.ancestors() if r.level == Level.COUNTY), None)
    return render(request, "cases/public_notice.html", {
        "region": region, "rows": rows, "amount": format_yuan, "issuer": issuer, "phone": issuer.nearest_phone(),
        "county": county, "county_phone": county.nearest_phone() if county else "", "today": timezone.localdate()})
