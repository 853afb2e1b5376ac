"""The 工作台 (home): tiles for what the user's roles allow, with figures for their jurisdiction.

The figures come from the maintained aggregates (``doudi.statistics``), not from counting the registry on every
visit: at a million households the counts alone took about a second. They show the time of the last refresh."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.statistics.selectors import figures_for, latest_refresh

HOME_KEYS = ["households", "persons", "entitlements", "payroll.fen", "cases.open"]
FULL_KEYS = ["warnings.open", "unenrolled"]


@login_required
def home(request):
    user = request.user
    refresh = latest_refresh()
    full_prefixes = region_prefixes(user, Action.VIEW_FULL)
    # Warnings and 符合条件尚未纳入 hold personal data: only for roles that see full records (monitoring), summed over
    # the regions where the user sees full records. Where those are the regions of the other figures (the usual
    # case), one query sums all of them.
    same_area = bool(full_prefixes) and full_prefixes == region_prefixes(user, Action.VIEW)
    figures = figures_for(user, keys=HOME_KEYS + FULL_KEYS if same_area else HOME_KEYS, refresh=refresh)
    context = {"as_of": figures.as_of, "counts": {
        "households": figures["households"], "members": figures["persons"], "entitlements": figures["entitlements"],
        "payroll_fen": figures["payroll.fen"], "open_cases": figures["cases.open"],
    }}
    if full_prefixes:
        full = figures if same_area else figures_for(user, keys=FULL_KEYS, action=Action.VIEW_FULL, refresh=refresh)
        context["counts"].update(open_warnings=full["warnings.open"], unenrolled=full["unenrolled"])
    return render(request, "web/home.html", context)


@login_required
def region_picker(request):
    """The picker re-rendered after a change (HTMX): the next level's children inside the user's area."""
    from doudi.web.region_picker import NAME_RE, build_picker

    name = request.GET.get("name", "region")
    if not NAME_RE.match(name):
        name = "region"
    value = request.GET.getlist(name)[-1:] or [""]
    picker = build_picker(request.user, name=name, value=value[0][:12], deepest=request.GET.get("deepest", ""),
                          action=request.GET.get("action", ""))
    return render(request, "web/_region_picker.html", {"picker": picker})
