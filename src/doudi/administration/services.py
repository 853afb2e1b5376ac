"""User and grant management by area administrators (系统管理). Every change is checked against
``administration.authority`` and written with its audit event (before/after) in one transaction.

An administrator never acts on their own account here: their own password is changed on 修改密码 (with the old one),
their own grants only by an administrator above them.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doudi.accounts.models import RegionGrant, User
from doudi.administration import authority
from doudi.administration.errors import AccountError, AccountErrorCode
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, diff, snapshot
from doudi.regions.models import Region

PROFILE_FIELDS = ("display_name", "phone", "department", "region", "is_active")


def _not_yours() -> AccountError:
    return AccountError(_("该用户不在您的管理范围内"), code=AccountErrorCode.NOT_YOURS)


def _check_user(actor: User, user: User) -> None:
    if not authority.may_manage(actor, user):
        raise _not_yours()


def _check_area(actor: User, region: Region) -> None:
    if not authority.manageable_regions(actor).filter(pk=region.pk).exists():
        raise AccountError(_("所属辖区须在您的管理辖区内"), code=AccountErrorCode.REGION_OUT_OF_AREA, field="region")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("；".join(exc.messages), code=AccountErrorCode.WEAK_PASSWORD, field="password") from None


def _audit(actor: User, action: str, obj, region_code: str, changes: dict, reason: str = "") -> None:
    audit_record(actor=actor, action=action, obj=obj, region_code=region_code, changes=changes, reason=reason)


def user_create(
    *, actor: User, username: str, display_name: str, phone: str, department: str, region: Region, password: str
) -> User:
    _check_area(actor, region)
    user = User(username=username, display_name=display_name, phone=phone, department=department, region=region)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            _audit(actor, AuditAction.CREATE, user, region.code, snapshot(user), _("新建用户"))
    except IntegrityError:
        raise AccountError(_("用户名已被使用"), code=AccountErrorCode.USERNAME_TAKEN, field="username") from None
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, display_name: str, phone: str, department: str, region: Region, is_active: bool
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_user(actor, user)
    _check_area(actor, region)
    before = snapshot(user, fields=list(PROFILE_FIELDS))
    user.display_name, user.phone, user.department, user.region, user.is_active = (
        display_name, phone, department, region, is_active,
    )
    changes = diff(before, after=snapshot(user, fields=list(PROFILE_FIELDS)))
    if changes:
        user.save(update_fields=["display_name", "phone", "department", "region", "is_active"])
        _audit(actor, AuditAction.UPDATE, user, region.code, changes)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a new password for someone in their area (never their own: see 修改密码)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_user(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(actor, AuditAction.UPDATE, user, user.region_id or "", {"password": ["***", _("***（已重置）")]},
           _("管理员重置密码"))


@transaction.atomic
def grant_add(*, actor: User, user: User, region: Region, role: str) -> RegionGrant:
    _check_user(actor, user)
    if not authority.may_grant(actor, region, role):
        raise AccountError(_("不能在该辖区授予该角色：只能在本辖区内授权，系统管理员只能授予下级辖区"),
                           code=AccountErrorCode.GRANT_OUT_OF_AREA, field="region")
    if RegionGrant.objects.filter(user=user, region=region, role=role).exists():
        raise AccountError(_("该用户已有此授权"), code=AccountErrorCode.DUPLICATE_GRANT)
    grant = RegionGrant.objects.create(user=user, region=region, role=role)
    _audit(actor, AuditAction.CREATE, grant, region.code, snapshot(grant), _("授予辖区角色"))
    return grant


@transaction.atomic
def grant_remove(*, actor: User, grant: RegionGrant) -> None:
    _check_user(actor, grant.user)
    if not authority.may_grant(actor, grant.region, grant.role):
        raise _not_yours()
    _audit(actor, AuditAction.DELETE, grant, grant.region_id, snapshot(grant), _("撤销辖区角色"))
    grant.delete()


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a login lockout (django-axes) for this user name from every address; returns how many were lifted."""
    from axes.utils import reset

    _check_user(actor, user)
    lifted = reset(username=user.username)
    _audit(actor, AuditAction.UPDATE, user, user.region_id or "", {"lockouts_lifted": lifted}, _("解除登录锁定"))
    return lifted


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> int:
    """Recovery when a phone is lost: remove the user's authenticator; they sign in with the password and may enrol
    again. Done by an administrator above them, never by themselves."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _check_user(actor, user)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    _audit(actor, AuditAction.UPDATE, user, user.region_id or "", {"second_factor": [bool(removed), False]},
           _("重置两步验证"))
    return removed
