"""Public pages (no login): the index of counties and townships, and one page per county, township or village with
standards in force, hotline numbers, current 公示, recipients per village and program, fund use, the standing list
(village pages only) and published inspection results."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from doudi.cases.selectors import public_notices
from doudi.hotline.selectors import public_lines
from doudi.openness import selectors
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.supervision.selectors import public_results

PUBLIC_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def index(request):
    counties = Region.objects.filter(level=Level.COUNTY).order_by("code").prefetch_related("children")
    return render(request, "openness/index.html", {"counties": counties})


def area(request, code: str):
    region = Region.objects.filter(code=code[:12], level__in=PUBLIC_LEVELS).select_related("parent").first()
    if region is None:
        raise Http404
    village = region.level == Level.VILLAGE
    refresh = selectors.shown_refresh()  # every figure on the page and its "截至" time from this one refresh
    return render(request, "openness/area.html", {
        "region": region, "standards": selectors.standards(region), "lines": public_lines(prefix=region.prefix),
        "notices": public_notices(region=region),
        "recipients": selectors.recipients_by_village(region, refresh=refresh),
        "funds": [] if village else selectors.fund_use(region, refresh=refresh),
        "standing": selectors.standing_list(region) if village else None,
        "children": region.children.exclude(level=Level.VILLAGE).order_by("code") if not village else [],
        "villages": region.children.filter(level=Level.VILLAGE).order_by("code")
        if region.level == Level.TOWNSHIP else [],
        "results": public_results(prefix=region.prefix), "as_of": refresh.finished_at if refresh else None})
