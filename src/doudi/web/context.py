from __future__ import annotations

from doudi.accounts.admin_access import is_installation_admin
from doudi.accounts.choices import Action, Role
from doudi.accounts.scoping import region_prefixes, user_grants
from doudi.administration.second_factor import may_enrol


def shell(request):
    """Values every page of the shell needs: the user's grants for the header and what the menu may show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    grants = user_grants(user)
    roles = {g.role for g in grants}
    return {
        "shell_grants": grants,
        "can_browse": bool(region_prefixes(user, Action.VIEW)),
        # Caseworker roles (village assistant, township, civil affairs, administrator) handle cases.
        "can_handle_cases": bool(region_prefixes(user, Action.CHANGE)),
        "can_import": bool(region_prefixes(user, Action.IMPORT)),
        "can_export": bool(region_prefixes(user, Action.EXPORT)),
        # Payroll and statements: whoever may decide (make/approve payrolls) or export (auditors read statements).
        "can_pay": bool(region_prefixes(user, Action.DECIDE) or region_prefixes(user, Action.EXPORT)),
        # Other departments work their referral inbox (推送转办); civil affairs follow referrals they sent.
        "can_refer": Role.DEPARTMENT in roles or bool(region_prefixes(user, Action.CHANGE)),
        "can_audit": bool(roles & {Role.AUDITOR, Role.ADMINISTRATOR}),
        # Monitoring (doudi.monitoring): warnings hold personal data, so only roles that see full records; village
        # assistants get the phone screen; departments send their data.
        "can_monitor": bool(region_prefixes(user, Action.VIEW_FULL)),
        "can_visit": Role.VILLAGE_ASSISTANT in roles,
        "can_submit_data": bool(region_prefixes(user, Action.SUBMIT_DATA)),
        # 系统管理: area administrators (scoped screens); 安装管理: the Django admin, installation superusers only.
        "can_admin": Role.ADMINISTRATOR in roles,
        "is_installation_admin": is_installation_admin(user),
        "can_enrol_second_factor": may_enrol(user),
    }
