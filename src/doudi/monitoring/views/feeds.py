"""Department data (upload and batches) and the matching runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.core.paging import paginate
from doudi.monitoring import selectors
from doudi.monitoring.feeds.loader import feed_load
from doudi.monitoring.feeds.schemas import FEEDS
from doudi.monitoring.forms import FeedUploadForm, RunForm
from doudi.monitoring.views import form_errors, monitoring_screen, or_404, run_service
from doudi.regions.models import Region


@login_required
def feed_list(request):
    can_submit = bool(region_prefixes(request.user, Action.SUBMIT_DATA))
    if not (can_submit or region_prefixes(request.user, Action.VIEW)):
        raise Http404
    form = FeedUploadForm(request.POST or None, request.FILES or None, user=request.user) if can_submit else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            d = form.cleaned_data
            upload = d["file"]
            result = run_service(request, feed_load, actor=request.user, feed=d["feed"],
                                 region=Region.objects.get(code=d["region"]), period=d["period"],
                                 filename=upload.name, data=upload.read())
            if result is not None:
                if result.already_loaded:
                    messages.info(request, _("该文件已导入过，未重复导入"))
                else:
                    messages.success(request, _("已导入 %(n)d 行，其中新增 %(new)d 行（已报送过的 %(s)d 行跳过）") % {
                        "n": result.rows, "new": result.batch.new_count, "s": result.skipped})
                return redirect("monitoring:feed_detail", pk=result.batch.pk)
        else:
            form_errors(request, form)
    page = paginate(request, selectors.batch_list(actor=request.user))
    return render(request, "monitoring/feed_list.html", {"form": form, "batches": page.object_list, "page": page,
                                                         "feeds": FEEDS})


@login_required
def feed_detail(request, pk: int):
    batch = or_404(selectors.batch_get, actor=request.user, pk=pk)
    page = paginate(request, selectors.batch_rows(actor=request.user, batch=batch))
    return render(request, "monitoring/feed_detail.html", {"batch": batch, "rows": page.object_list, "page": page,
                                                           "feed": FEEDS.get(batch.feed)})


@monitoring_screen
def run_list(request):
    can_run = bool(region_prefixes(request.user, Action.DECIDE))
    form = RunForm(request.POST or None, user=request.user) if can_run else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            from doudi.monitoring.tasks import run_monitoring

            d = form.cleaned_data
            result = run_service(request, run_monitoring.enqueue, d["region"], d["as_of"].isoformat(), d["engine"],
                                 request.user.pk)
            if result is not None:
                messages.success(request, _("已提交比对任务（后台运行，进度见下表）"))
            return redirect("monitoring:run_list")
        form_errors(request, form)
    page = paginate(request, selectors.run_list(actor=request.user))
    return render(request, "monitoring/run_list.html", {"form": form, "runs": page.object_list, "page": page})


@login_required
@require_POST
def run_resume(request, pk: int):
    run = selectors.run_list(actor=request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    from doudi.monitoring.tasks import resume_monitoring

    run_service(request, resume_monitoring.enqueue, run.pk, request.user.pk, success=_("已提交续跑"))
    return redirect("monitoring:run_list")
