"""Care institutions and their 3+1 supervision ([004] 六: 县级月抽测、镇级周检查、村级日巡查、中介机构年评估),
each check with its findings and corrective actions, fed back to the institution and followed to rectification."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.care.choices import CheckLevel, CheckResult, InstitutionKind
from doudi.care.errors import CareError, Code
from doudi.care.models import Institution, InstitutionCheck
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def institution_create(*, actor: User, region: Region, name: str, kind: str, beds: int, nursing_beds: int,
                       operator: str = "") -> Institution:
    if not allows(actor, Action.CHANGE, region.code):
        raise NotFoundOrForbidden(_("该区划不在您的辖区内"))
    if not name.strip():
        raise CareError(_("请填写机构名称"), code=Code.REQUIRED, field="name")
    if kind not in InstitutionKind.values:
        raise CareError(_("请选择机构类型"), code=Code.REQUIRED, field="kind")
    if beds < 0 or nursing_beds < 0 or nursing_beds > beds:
        raise CareError(_("护理型床位数不能超过床位总数"), code=Code.BAD_AMOUNT, field="nursing_beds")
    inst = Institution.objects.create(region=region, name=name.strip()[:100], kind=kind, beds=beds,
                                      nursing_beds=nursing_beds, operator=operator.strip()[:100])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=inst, region_code=region.code, changes=snapshot(inst))
    return inst


@transaction.atomic
def check_record(*, actor: User, institution: Institution | int, level: str, checked_on: dt.date, result: str,
                 findings: str = "", corrective_actions: str = "", rectify_by: dt.date | None = None,
                 checker_org: str = "") -> InstitutionCheck:
    pk = getattr(institution, "pk", institution)
    found = Institution.objects.restrict(actor, Action.CHANGE).filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该机构，或不在您的辖区内"))
    if level not in CheckLevel.values:
        raise CareError(_("请选择监管层级"), code=Code.REQUIRED, field="level")
    if result not in CheckResult.values:
        raise CareError(_("请选择检查结果"), code=Code.REQUIRED, field="result")
    if checked_on > timezone.localdate():
        raise CareError(_("检查日期不能晚于今天"), code=Code.BAD_DATE, field="checked_on")
    if result == CheckResult.ISSUES and not (findings.strip() and corrective_actions.strip()):
        raise CareError(_("发现问题时须写明问题和整改要求"), code=Code.REQUIRED, field="corrective_actions")
    if level == CheckLevel.THIRD_PARTY and not checker_org.strip():
        raise CareError(_("第三方评估须填写评估机构"), code=Code.REQUIRED, field="checker_org")
    check = InstitutionCheck.objects.create(
        institution=found, level=level, checked_on=checked_on, checker=actor, checker_org=checker_org.strip()[:100],
        result=result, findings=findings.strip(), corrective_actions=corrective_actions.strip(),
        rectify_by=rectify_by if result == CheckResult.ISSUES else None)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=check, region_code=found.region_id,
                 changes=snapshot(check))
    return check


@transaction.atomic
def check_rectified(*, actor: User, check: InstitutionCheck | int, rectified_on: dt.date) -> InstitutionCheck:
    pk = getattr(check, "pk", check)
    found = InstitutionCheck.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该检查记录，或不在您的辖区内"))
    if found.result != CheckResult.ISSUES or found.rectified_on is not None:
        raise CareError(_("该检查没有待整改的问题"), code=Code.BAD_STATE)
    if rectified_on < found.checked_on or rectified_on > timezone.localdate():
        raise CareError(_("整改完成日期须在检查日期与今天之间"), code=Code.BAD_DATE, field="rectified_on")
    found.rectified_on = rectified_on
    found.save(update_fields=["rectified_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=found.institution.region_id,
                 changes={"rectified_on": rectified_on.isoformat()})
    return found
