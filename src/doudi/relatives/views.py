"""The register screen: county and township staff list, search and add entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doudi.core.errors import DomainError
from doudi.core.posted import PostedForm, PostedText
from doudi.core.search import legacy_redirect, redirect_to_list, search_term
from doudi.relatives import selectors, services
from doudi.relatives.choices import CadreRole, Kinship


class CadreRelativeForm(PostedForm):
    region = PostedText()
    cadre_name = PostedText()
    cadre_role = PostedText()
    relative_name = PostedText()
    relative_id_number = PostedText()
    kinship = PostedText()


class SearchForm(PostedForm):
    q = PostedText()

    def clean(self):
        d = super().clean()
        d["q"] = d["q"].strip()[:100]  # a search box: a longer term is cut, not stored
        return d


@login_required
def register(request):
    """County and township staff keep the register; the case workflow flags matches when it accepts a case."""
    regions = selectors.staff_regions(actor=request.user)
    if not regions:
        raise Http404
    if request.method == "POST" and request.POST.get("op") == "search":
        # Posted: a resident ID typed into the search box never enters a URL (core/search.py).
        return redirect_to_list(request, term=SearchForm(request.POST).cleaned()["q"])
    if request.method == "GET" and (moved := legacy_redirect(request)) is not None:
        return moved
    if request.method == "POST":
        d = CadreRelativeForm(request.POST).cleaned()
        region = next((r for r in regions if r.code == d["region"]), None)
        try:
            if region is None:
                raise DomainError(_("请选择任职区划"))
            services.cadre_relative_add(
                actor=request.user,
                region=region,
                cadre_name=d["cadre_name"].strip(),
                cadre_role=d["cadre_role"],
                relative_name=d["relative_name"].strip(),
                relative_id_number=d["relative_id_number"],
                kinship=d["kinship"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已备案"))
            return redirect("relatives:register")
    q = search_term(request).strip()
    rows = selectors.cadre_relatives_shown(actor=request.user, rows=list(selectors.cadre_relatives(actor=request.user,
                                                                                                   q=q)[:200]), q=q)
    return render(
        request,
        "relatives/register.html",
        {
            "rows": rows,
            "regions": regions,
            "q": q,
            "roles": CadreRole.choices,
            "kinships": Kinship.choices,
            "form": request.POST,
        },
    )
