"""Typed errors of verification: stable codes for the API and the screens."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from doudi.core.errors import DomainError

if TYPE_CHECKING:
    from doudi.registry.models import Person


class Code(StrEnum):
    """The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

    MISSING_COLUMNS = "missing_columns"
    BAD_DEPARTMENT = "bad_department"
    NOT_OWN_DEPARTMENT = "not_own_department"
    EMPTY_FILE = "empty_file"
    BAD_ROWS = "bad_rows"
    BAD_METHOD = "bad_method"
    SCAN_REQUIRED = "scan_required"
    SIGNATURE_REQUIRED = "signature_required"
    FUTURE_SIGNATURE = "future_signature"
    NOT_A_SIGNER = "not_a_signer"
    NOT_OWN_AUTHORISATION = "not_own_authorisation"
    NOT_A_GUARDIAN = "not_a_guardian"
    NAME_MISMATCH = "name_mismatch"
    ALREADY_SIGNED = "already_signed"
    NOTE_REQUIRED = "note_required"


class VerificationError(DomainError):
    code = "verification_error"


class AuthorisationMissing(VerificationError):
    code = "authorisation_missing"
    http_status = 409

    def __init__(self, missing: list[Person], *, no_members: bool = False):
        if no_members:
            message = _("该家庭在核对基准日没有登记成员，无法核对")
        else:
            names = "、".join(f"{p.name}（{p.masked_id_number}）" for p in missing)
            message = _("以下人员尚未签署家庭经济状况核对授权，不能查询其经济状况：%(names)s") % {"names": names}
        super().__init__(message)
        self.missing = missing
