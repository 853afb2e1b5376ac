"""The 工作台 (home): tiles for what the user's roles allow, with counts for their jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.registry.models import Household, Membership


@login_required
def home(request):
    today: dt.date = timezone.localdate()
    counts = {
        "households": Household.objects.restrict(request.user, Action.VIEW).count(),
        "members": Membership.objects.restrict(request.user, Action.VIEW).as_of(today).count(),
    }
    if region_prefixes(request.user, Action.VIEW_FULL):
        # 符合条件尚未纳入（供主动发现）: the engine's verdict at the last low-income database refresh (monitoring).
        from doudi.monitoring.selectors import unenrolled

        counts["unenrolled"] = unenrolled(actor=request.user).count()
    return render(request, "web/home.html", {"counts": counts, "today": today})


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
