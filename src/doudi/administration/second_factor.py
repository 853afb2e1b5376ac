"""The optional second factor (两步验证): a TOTP authenticator app (django-otp) for administrators and approvers.

Whoever has a confirmed authenticator signs in with the password and then a six-digit code; until the code is given,
``SecondFactorMiddleware`` lets the session reach only the code page and logout. Enrolment is offered to users holding
``administer`` or ``decide`` anywhere. Recovery (a lost phone) is ``services.user_second_factor_reset``, done by an
administrator above the user.
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.administration.errors import AccountError, AccountErrorCode
from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record

DEVICE_NAME = "authenticator"


def may_enrol(user) -> bool:
    return bool(region_prefixes(user, Action.ADMINISTER) or region_prefixes(user, Action.DECIDE))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_code(user) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret each time set-up starts over)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it when typed in (base32, in groups of four)."""
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937", light="#ffffff")


def _clean(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())[:8]


def verify(request, token: str) -> bool:
    """Check the code against the user's authenticator and mark the session verified. django-otp throttles
    repeated failures (each wrong code doubles the wait before the next one is even checked)."""
    user = request.user
    device = confirmed_device(user)
    ok = device is not None and device.verify_token(_clean(token))
    audit_record(actor=user if ok else None, action=AuditAction.LOGIN if ok else AuditAction.LOGIN_FAILED,
                 obj=user, region_code=actor_region_code(user),
                 reason=_("两步验证通过") if ok else _("两步验证码错误"))
    if ok:
        otp_login(request, device)
    return ok


def enrol_confirm(request, token: str) -> TOTPDevice:
    """The first code from the app proves it holds the secret: the authenticator becomes required at sign-in.
    The code is checked outside the transaction, so a wrong one still counts towards django-otp's throttle."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean(token)):
        raise AccountError(_("验证码不正确，请核对手机上显示的6位数字后重试"), code=AccountErrorCode.WRONG_CODE,
                           field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action=AuditAction.UPDATE, obj=user, region_code=actor_region_code(user),
                     changes={"second_factor": [False, True]}, reason=_("启用两步验证"))
    otp_login(request, device)
    return device


def disable(request, token: str) -> None:
    """Turning it off takes a current code, so a session left open cannot remove the second factor."""
    user = request.user
    device = confirmed_device(user)
    if device is None or not device.verify_token(_clean(token)):
        raise AccountError(_("验证码不正确，未停用两步验证"), code=AccountErrorCode.WRONG_CODE, field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action=AuditAction.UPDATE, obj=user, region_code=actor_region_code(user),
                     changes={"second_factor": [True, False]}, reason=_("停用两步验证"))
