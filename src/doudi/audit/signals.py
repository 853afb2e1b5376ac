"""Login, logout and failed logins go to the audit log (who, when, from where; never the password).

The event carries the region of the user's widest grant, so an auditor of that jurisdiction sees it; a failed login
for an unknown username has no region and is visible to administrators through the Django admin only. A lockout
(django-axes) is one more failed-login event, saying so.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record


@receiver(user_logged_in, dispatch_uid="doudi_audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, region_code=actor_region_code(user))


@receiver(user_logged_out, dispatch_uid="doudi_audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is None:  # session had expired: nobody to record
        return
    audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, region_code=actor_region_code(user))


@receiver(user_login_failed, dispatch_uid="doudi_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # ``credentials`` has the password scrubbed by Django already; we keep only the username anyway.
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        object_repr=username,
        region_code=actor_region_code(user),
    )


@receiver(user_locked_out, dispatch_uid="doudi_audit_locked_out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    username = str(username or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        object_repr=username,
        region_code=actor_region_code(user),
        reason="登录失败次数过多，已锁定",
    )
