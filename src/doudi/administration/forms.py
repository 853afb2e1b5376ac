"""Forms of the administration screens (系统管理) and of one's own account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Department, Role
from doudi.administration import authority
from doudi.regions.choices import LEVEL_ORDER
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


class RegionField(forms.ModelChoiceField):
    """Regions of the administrator's area, indented by level, named (never a typed 12-digit code)."""

    def label_from_instance(self, obj: Region) -> str:
        return "\u3000" * LEVEL_ORDER.index(obj.level) + f"{obj.name}（{obj.get_level_display()}）"


def region_field(actor: User, label) -> RegionField:
    return RegionField(
        queryset=authority.manageable_regions(actor),
        label=label,
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请选择您管理辖区内的区划")},
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("用户名或姓名"), required=False, max_length=50)


class _PasswordPair(forms.Form):
    password1 = forms.CharField(label=gettext_lazy("新密码"), strip=False, max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("再次输入新密码"), strip=False, max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class PasswordSetForm(_PasswordPair):
    pass


class UserForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.RegexField(label=gettext_lazy("手机号"), regex=r"^[0-9+\- ]{0,20}$", max_length=20, required=False,
                             error_messages={"invalid": gettext_lazy("手机号只能包含数字、空格、+ 和 -")})
    department = forms.ChoiceField(label=gettext_lazy("所属部门"), choices=Department.choices)
    is_active = forms.BooleanField(label=gettext_lazy("账号可用"), required=False, initial=True)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(actor, _("所属辖区"))
        self.order_fields(["display_name", "phone", "department", "region", "is_active"])


class UserCreateForm(_PasswordPair, UserForm):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150, validators=[UnicodeUsernameValidator()])

    field_order = ["username", "display_name", "phone", "department", "region", "password1", "password2"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        del self.fields["is_active"]
        self.order_fields(self.field_order)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[c for c in Role.choices if c[0] != Role.APPLICANT])

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(actor, _("辖区"))
