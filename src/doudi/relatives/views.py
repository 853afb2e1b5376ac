"""The register screen: county and township staff list, search and add entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doudi.core.errors import DomainError
from doudi.relatives import selectors, services
from doudi.relatives.choices import CadreRole, Kinship


@login_required
def register(request):
    """County and township staff keep the register; the case workflow flags matches when it accepts a case."""
    regions = selectors.staff_regions(actor=request.user)
    if not regions:
        raise Http404
    if request.method == "POST":
        p = request.POST
        region = next((r for r in regions if r.code == p.get("region")), None)
        try:
            if region is None:
                raise DomainError(_("请选择任职区划"))
            services.cadre_relative_add(
                actor=request.user,
                region=region,
                cadre_name=p.get("cadre_name", "").strip(),
                cadre_role=p.get("cadre_role", ""),
                relative_name=p.get("relative_name", "").strip(),
                relative_id_number=p.get("relative_id_number", ""),
                kinship=p.get("kinship", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已备案"))
            return redirect("relatives:register")
    q = request.GET.get("q", "").strip()
    rows = selectors.cadre_relatives_shown(actor=request.user, rows=list(selectors.cadre_relatives(actor=request.user,
                                                                                                  q=q)[:200]), q=q)
    return render(
        request,
        "relatives/register.html",
        {
            "rows": rows,
            "regions": regions,
            "q": request.GET.get("q", ""),
            "roles": CadreRole.choices,
            "kinships": Kinship.choices,
            "form": request.POST,
        },
    )
