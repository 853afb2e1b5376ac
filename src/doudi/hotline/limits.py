"""Where a ticket is handled and by when: the competent area (承办区划) and the profile's time limits.

The time limits are profile values (``procedure.hotline.<kind>.<stage>_workdays``, read through
``doudi.rules.procedure.hotline_limits``); no day count is written here. Stages count from the day the ticket was
registered, one after another: receipt, then first answer, then resolution (the caller's wait does not restart
when a ticket is transferred).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from doudi.hotline.errors import Code, HotlineError
from doudi.policy.services import values_as_of
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.rules.procedure import hotline_limits

# The four levels of seed 002 一(三): 省、州、县、乡4级.
HANDLING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)


@dataclass(frozen=True)
class Dues:
    acknowledge: dt.date
    response: dt.date
    resolution: dt.date


def handling_region(region: Region) -> Region:
    """A village's tickets are handled by its township (the lowest of the four handling levels)."""
    if region.level == Level.VILLAGE:
        return region.parent
    if region.level not in HANDLING_LEVELS:
        raise HotlineError(_("承办区划须为省、市、县或乡镇（街道）"), code=Code.BAD_REGION, field="region")
    return region


def staff_complaint_region(staff) -> Region | None:
    """A complaint about a caseworker goes to the level above the area where they work (their narrowest grant)."""
    grants = sorted(staff.grants.select_related("region__parent"), key=lambda g: -len(g.region.prefix))
    if not grants:
        return None
    above = grants[0].region.parent
    while above is not None and above.level not in HANDLING_LEVELS:
        above = above.parent
    return above


def dues_for(*, region: Region, kind: str, urgent: bool, received_on: dt.date) -> Dues:
    from doudi.core.workdays import add_working_days

    values = values_as_of(profile=region.effective_profile(), prefix="procedure.hotline.", on=received_on)
    limits = hotline_limits(values, kind, urgent=urgent)
    if None in (limits.acknowledge, limits.response, limits.resolution):
        raise HotlineError(_("本地政策配置未设置该类工单的办理时限（procedure.hotline.*），请联系系统管理员"),
                           code=Code.NO_LIMITS)
    ack = add_working_days(received_on, limits.acknowledge)
    return Dues(acknowledge=ack, response=add_working_days(ack, limits.response),
                resolution=add_working_days(ack, limits.resolution))
