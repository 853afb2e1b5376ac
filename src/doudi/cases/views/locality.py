"""Locality settings (地方办理设置): what a county decides for its townships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doudi.cases import selectors, services
from doudi.core.errors import DomainError
from doudi.core.posted import PostedForm, PostedText


class LocalityForm(PostedForm):
    region = PostedText()
    township_confirms = PostedText()


@login_required
def locality_settings(request):
    regions = selectors.settings_regions(actor=request.user)
    if not regions:
        raise Http404
    if request.method == "POST":
        d = LocalityForm(request.POST).cleaned()
        region = next((r for r in regions if r.code == d["region"]), None)
        try:
            if region is None:
                raise DomainError(_("请选择区划"))
            services.locality_setting_save(
                actor=request.user,
                region=region,
                township_confirms=d["township_confirms"] == "on",
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(region)s 的办理设置已保存") % {"region": region.name})
            return redirect("cases:locality_settings")
    rows = [(r, selectors.locality(r), selectors.temporary_limits(r)) for r in regions]
    return render(request, "cases/locality_settings.html", {"rows": rows})
