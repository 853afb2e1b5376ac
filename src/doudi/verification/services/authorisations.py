"""Authorisations (授权): recorded at the window, signed on the applicant's phone, revoked."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry import services as registry_services
from doudi.registry.models import Household, Membership, Person
from doudi.verification.choices import (
    AuthorisationMethod,
)
from doudi.verification.errors import Code, VerificationError
from doudi.verification.models import Authorisation
from doudi.verification.selectors import required_signers
from doudi.verification.services.checks import household_for_change

if TYPE_CHECKING:
    from doudi.accounts.models import User

AUTH_AUDIT_FIELDS = ["household", "person", "role", "signed_at", "method", "signature_ref", "valid_until"]


@transaction.atomic
def authorisation_record(
    *,
    actor: User,
    household: Household,
    person: Person,
    method: str,
    signed_at: dt.date,
    valid_until: dt.date | None = None,
    scan=None,
    signature_ref: str = "",
) -> Authorisation:
    household = household_for_change(actor, household=household)
    registry_services.check_period(signed_at, valid_to=valid_until)
    if method not in AuthorisationMethod.values:
        raise VerificationError(_("签署方式无效"), code=Code.BAD_METHOD, field="method")
    if method == AuthorisationMethod.PAPER_SCAN and not scan:
        raise VerificationError(_("纸质授权书须上传扫描件"), code=Code.SCAN_REQUIRED, field="scan")
    if method == AuthorisationMethod.E_SIGNATURE and not signature_ref.strip():
        raise VerificationError(_("电子签名须填写签名流水号"), code=Code.SIGNATURE_REQUIRED, field="signature_ref")
    if signed_at > timezone.localdate():
        raise VerificationError(_("签署日期不能晚于今天"), code=Code.FUTURE_SIGNATURE, field="signed_at")
    return _authorisation_create(
        actor=actor, household=household, person=person, method=method, signed_at=signed_at,
        valid_until=valid_until, scan=scan, signature_ref=signature_ref,
    )


def _authorisation_create(
    *, actor: User, household: Household, person: Person, method: str, signed_at: dt.date, valid_until: dt.date | None,
    scan, signature_ref: str, on_behalf: bool = False,
) -> Authorisation:
    signers = required_signers(household=household, as_of=signed_at, include_supporters=True)
    role = next((s.role for s in signers if s.person.pk == person.pk), None)
    if role is None:
        raise VerificationError(
            _("%(name)s 不是该家庭的成员或成员的法定义务人，不能为该家庭签署授权") % {"name": person.name},
            code=Code.NOT_A_SIGNER,
            field="person",
        )
    auth = Authorisation.objects.create(
        household=household,
        person=person,
        role=role,
        signed_at=signed_at,
        method=method,
        scan=scan or "",
        signature_ref=signature_ref.strip(),
        valid_until=valid_until,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=auth,
        object_repr=_("%(name)s 的核对授权") % {"name": person.name},
        region_code=household.region_id,
        changes={**snapshot(auth, fields=AUTH_AUDIT_FIELDS), "scan": auth.scan.name if auth.scan else "",
                 **({"on_behalf_of_minor": True} if on_behalf else {})},
    )
    return auth


ADULT_AGE = 18  # Civil Code Art 17, 27: parents are the guardians of a minor child


@transaction.atomic
def authorisation_esign(*, actor: User, person: Person, confirm_name: str) -> Authorisation:
    """The applicant signs on their own phone (S1 Art 9(3)): for themselves, or as guardian for a member under 18 of
    their own household. Another adult signs for themselves (at the window or from their own login). The signer
    confirms by typing their own full name; the audit row carries the IP and user agent of the request."""
    today = timezone.localdate()
    me = getattr(actor, "person", None)
    membership = (
        Membership.objects.filter(person=me).as_of(today).select_related("household").first() if me else None
    )
    if membership is None:
        raise NotFoundOrForbidden(_("未找到您的家庭登记信息"))
    household = Household.objects.select_for_update().get(pk=membership.household_id)
    if not Membership.objects.filter(household=household, person_id=person.pk).as_of(today).exists():
        raise NotFoundOrForbidden(_("未找到该家庭成员"))
    on_behalf = person.pk != me.pk
    if on_behalf and person.age_on(today) >= ADULT_AGE:
        raise VerificationError(_("%(name)s 已成年，须本人到窗口签署或登录后本人签署") % {"name": person.name},
                                code=Code.NOT_OWN_AUTHORISATION, field="person")
    if on_behalf and me.age_on(today) < ADULT_AGE:
        raise VerificationError(_("未成年人不能代他人签署授权"), code=Code.NOT_A_GUARDIAN, field="person")
    if "".join(confirm_name.split()) != "".join(me.name.split()):
        raise VerificationError(_("请输入您本人的完整姓名以确认签署"), code=Code.NAME_MISMATCH, field="confirm_name")
    if Authorisation.objects.filter(household=household, person_id=person.pk).valid_on(today).exists():
        raise VerificationError(_("%(name)s 已签署授权，无需重复签署") % {"name": person.name},
                                code=Code.ALREADY_SIGNED)
    return _authorisation_create(
        actor=actor, household=household, person=person, method=AuthorisationMethod.E_SIGNATURE, signed_at=today,
        valid_until=None, scan=None, signature_ref=f"ESIGN-{actor.pk}-{timezone.now():%Y%m%d%H%M%S}",
        on_behalf=on_behalf,
    )


@transaction.atomic
def authorisation_revoke(*, actor: User, authorisation: Authorisation, reason: str = "") -> Authorisation:
    household_for_change(actor, household=authorisation.household)
    auth = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if auth.revoked_at is None:
        auth.revoked_at = timezone.now()
        auth.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=auth,
            object_repr=_("%(name)s 的核对授权") % {"name": auth.person.name},
            region_code=auth.household.region_id,
            changes={"revoked_at": [None, auth.revoked_at.isoformat()]},
            reason=reason,
        )
    return auth
