"""Login, logout and failed logins go to the audit log (who, when, from where; never the password).

The event carries the region of the user's widest grant, so an auditor of that jurisdiction sees it; a failed login
for an unknown username has no region and is visible to administrators through the Django admin only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record


def _home_region(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    codes = sorted(user.grants.values_list("region_id", flat=True), key=lambda c: (len(c.rstrip("0")), c))
    return codes[0] if codes else ""


@receiver(user_logged_in, dispatch_uid="doudi_audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, region_code=_home_region(user))


@receiver(user_logged_out, dispatch_uid="doudi_audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is None:  # session had expired: nobody to record
        return
    audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, region_code=_home_region(user))


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
        region_code=_home_region(user),
    )
