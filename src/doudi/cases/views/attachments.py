"""Supporting documents at the window: the caseworker adds one to a case's application, and the one download view
(shared with the applicant's own pages), scoped and audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.cases import selectors
from doudi.cases.services.attachments import attachment_add
from doudi.cases.views.shared import case_or_404
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.posted import PostedForm, PostedText


class AttachmentForm(PostedForm):
    kind = PostedText()


@login_required
@require_POST
def case_attachment_add(request, pk: int):
    """At the window: the caseworker adds a document to the case's application."""
    case = case_or_404(request, pk)
    try:
        attachment_add(actor=request.user, application=case.application_id, case=case,
                       kind=AttachmentForm(request.POST).cleaned()["kind"], upload=request.FILES.get("file"))
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("材料已上传"))
    return redirect("cases:case_detail", pk=pk)


@login_required
def attachment_download(request, pk: int):
    """The only way to read a stored document: scoped (404 the same for missing and not yours) and audited."""
    try:
        row = selectors.attachment_open(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, as_attachment=True,
                            filename=row.original_name or f"attachment-{row.pk}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
