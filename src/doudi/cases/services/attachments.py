"""Supporting documents (证明材料): uploaded by the applicant from their phone or by the window, read only through
the scoped, audited download (S3 Art 61).

The file type is decided from the file's first bytes, not from the name or the browser's claim, so a renamed file is
refused the same as a wrong one. A refused upload leaves nothing behind: no row, no file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.choices import FINAL_STATES, AttachmentKind
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Application, Attachment, Case
from doudi.cases.services.intake import _in_scope, applicant_tell
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.models import Membership

if TYPE_CHECKING:
    from doudi.accounts.models import User

MAX_BYTES = 10 * 1024 * 1024  # a phone photo of a document is 2–5 MB; 10 MB leaves room for a multi-page PDF
# HEIF brands iPhones write (ISO/IEC 23008-12); all are stored as image/heic.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
TYPE_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIC"}


def sniff_content_type(head: bytes) -> str | None:
    """The allowed type these leading bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    return None


class AttachmentError(CaseError):
    code = "attachment_error"


def _may_add(actor: User, app: Application) -> bool:
    """The applicant's own household (a current member), or staff who may change the application's village."""
    own = bool(actor.person_id) and Membership.objects.filter(
        household_id=app.household_id, person_id=actor.person_id
    ).as_of(timezone.localdate()).exists()
    return own or _in_scope(actor, app.region, Action.CHANGE)


def _checked_upload(app: Application, *, kind: str, upload, supplies_item: str) -> str:
    """Refuse a file before anything is stored: closed application, no kind, no file, too big, empty, not a PDF or
    photo, or a "supplied item" that is not on the one-time notice. Returns the sniffed content type."""
    if not app.cases.exclude(state__in=FINAL_STATES).exists():
        raise AttachmentError(_("该申请已办结，不能再上传材料"), code=Code.APPLICATION_CLOSED)
    if kind not in AttachmentKind.values:
        raise AttachmentError(_("请选择材料类型"), code=Code.KIND_REQUIRED, field="kind")
    if upload is None:
        raise AttachmentError(_("请选择要上传的文件"), code=Code.FILE_REQUIRED, field="file")
    if upload.size > MAX_BYTES:
        raise AttachmentError(
            _("文件太大（%(mb).1f MB），单个文件不能超过 10 MB。请压缩或分页拍照后再上传。")
            % {"mb": upload.size / 1024 / 1024},
            code=Code.FILE_TOO_LARGE, field="file",
        )
    if upload.size == 0:
        raise AttachmentError(_("文件是空的，请重新选择"), code=Code.FILE_EMPTY, field="file")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise AttachmentError(
            _("只能上传 PDF、JPG、PNG 或 HEIC（苹果手机照片）格式的文件"), code=Code.FILE_TYPE, field="file"
        )
    if supplies_item and supplies_item not in app.missing_items:
        raise AttachmentError(_("所选补正材料不在一次性告知清单中"),
                              code=Code.NOT_A_MISSING_ITEM, field="supplies_item")
    return content_type


def attachment_add(
    *,
    actor: User,
    application: Application | int,
    kind: str,
    upload,
    case: Case | None = None,
    supplies_item: str = "",
) -> Attachment:
    pk = application.pk if isinstance(application, Application) else application
    app = Application.objects.restrict(actor, Action.VIEW).select_related("region").filter(pk=pk).first()
    if app is None or not _may_add(actor, app):
        raise NotFoundOrForbidden(_("未找到该申请，或不在您的辖区内"))
    if case is not None and case.application_id != app.pk:
        raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
    supplies_item = supplies_item.strip()
    content_type = _checked_upload(app, kind=kind, upload=upload, supplies_item=supplies_item)

    row = None
    try:
        with transaction.atomic():
            app = Application.objects.select_for_update().get(pk=app.pk)
            row = Attachment(
                application=app, case=case, kind=kind, original_name=(upload.name or "")[-200:],
                size=upload.size, content_type=content_type, supplies_item=supplies_item, uploaded_by=actor,
            )
            row.file.save("upload", upload, save=False)
            row.save()
            if supplies_item in app.missing_items:
                # The applicant marks the item supplied; the township confirms by resubmitting (returned → submitted).
                app.missing_items = [i for i in app.missing_items if i != supplies_item]
                applicant_tell(app,
                               text=_("已上传补正材料：%(item)s，等待乡镇（街道）确认。") % {"item": supplies_item},
                               case=case, fields=("missing_items",))
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=row, region_code=app.region_id,
                changes={"application": app.pk, "case": case.pk if case else None, "kind": kind,
                         "size": row.size, "content_type": content_type, "supplies_item": supplies_item},
            )
    except BaseException:
        if row is not None and row.file.name:
            row.file.storage.delete(row.file.name)
        raise
    return row
