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
from doudi.cases.workflow import TemporaryDetails
from doudi.core.money import yuan_to_fen
from doudi.core.posted import PostedForm, PostedList, PostedText
from doudi.core.validators import parse_int
from doudi.regions.models import Region
from doudi.rules.kinds import TEMP_SEVERITY


class ApplicationForm(PostedForm):
    """The application form as posted (window and phone). Temporary-assistance details are read only when
    临时救助 is applied for, in the order the form always read them."""

    programs = PostedList()
    temp_type = PostedText(missing=TemporaryType.EMERGENCY)
    temp_cause = PostedText(missing="other")
    temp_severity = PostedText()
    temp_amount = PostedText()
    temp_stages = PostedText()
    place = PostedText(missing=Place.HUKOU)
    emergency_region = PostedText()
    channel = PostedText(missing=Channel.WINDOW)
    commitment_signed = PostedText()
    entrustment = PostedText()
    statement = PostedText()
    special_needs = PostedList()

    def clean(self):
        d = super().clean()
        d["temporary"] = None
        if Program.TEMPORARY in d["programs"]:
            d["temporary"] = TemporaryDetails(
                type=d["temp_type"],
                cause=d["temp_cause"],
                severity=d["temp_severity"] if d["temp_severity"] in TEMP_SEVERITY else "general",
                requested_fen=self.parse(yuan_to_fen, d["temp_amount"] or "0"),
                stages=self.parse(parse_int, d["temp_stages"], label=_("分阶段发放次数"), minimum=1, maximum=12,
                                  default=1),
            )
        return d


def application_from_post(request, household, applicant):
    d = ApplicationForm(request.POST).cleaned()
    emergency_region = None
    if d["place"] == Place.EMERGENCY and d["emergency_region"]:
        emergency_region = Region.objects.filter(code=d["emergency_region"]).first()
    return services.application_submit(
        actor=request.user,
        household=household,
        applicant=applicant,
        programs=d["programs"],
        channel=d["channel"],
        place=d["place"],
        commitment_signed=d["commitment_signed"] == "on",
        entrustment=d["entrustment"],
        statement=d["statement"],
        special_needs=d["special_needs"],
        emergency_region=emergency_region,
        temporary=d["temporary"],
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
