"""The application form (一证一书): its choices and the one reading of its fields, shared by the window
(``views.intake``) and the applicant's phone (``doudi.selfservice``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.benefits.choices import Program
from doudi.cases import services
from doudi.cases.choices import (
    Channel,
    Place,
    TemporaryCause,
    TemporaryType,
)
from doudi.core.money import yuan_to_fen
from doudi.core.validators import parse_int
from doudi.regions.models import Region
from doudi.rules.kinds import TEMP_SEVERITY


def application_from_post(request, household, applicant):
    p = request.POST
    programs = p.getlist("programs")
    temporary = None
    if Program.TEMPORARY in programs:
        temporary = {
            "type": p.get("temp_type", TemporaryType.EMERGENCY),
            "cause": p.get("temp_cause", "other"),
            "severity": p.get("temp_severity") if p.get("temp_severity") in TEMP_SEVERITY else "general",
            "requested_fen": yuan_to_fen(p.get("temp_amount") or "0"),
            "stages": parse_int(p.get("temp_stages"), label=_("分阶段发放次数"), minimum=1, maximum=12, default=1),
        }
    emergency_region = None
    if p.get("place") == Place.EMERGENCY and p.get("emergency_region"):
        emergency_region = Region.objects.filter(code=p["emergency_region"]).first()
    return services.application_submit(
        actor=request.user,
        household=household,
        applicant=applicant,
        programs=programs,
        channel=p.get("channel", Channel.WINDOW),
        place=p.get("place", Place.HUKOU),
        commitment_signed=p.get("commitment_signed") == "on",
        entrustment=p.get("entrustment", ""),
        statement=p.get("statement", ""),
        special_needs=p.getlist("special_needs"),
        emergency_region=emergency_region,
        temporary=temporary,
    )


APPLICATION_CHOICES = {
    "programs": [
        (Program.DIBAO, gettext_lazy("最低生活保障（低保）")),
        (Program.TEKUN, gettext_lazy("特困人员救助供养")),
        (Program.TEMPORARY, gettext_lazy("临时救助")),
        (Program.ORPHAN, gettext_lazy("孤儿、事实无人抚养儿童基本生活费")),
        (Program.DISABLED_LIVING, gettext_lazy("困难残疾人生活补贴")),
        (Program.DISABLED_CARE, gettext_lazy("重度残疾人护理补贴")),
    ],
    "special_needs": [
        ("medical", gettext_lazy("医疗救助")),
        ("education", gettext_lazy("教育救助")),
        ("housing", gettext_lazy("住房救助")),
        ("employment", gettext_lazy("就业救助")),
    ],
    "channels": Channel.choices,
    "places": Place.choices,
    "temp_types": TemporaryType.choices,
    "temp_causes": TemporaryCause.choices,
    "temp_severities": list(TEMP_SEVERITY.items()),
}
