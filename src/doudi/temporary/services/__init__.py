"""Writes of temporary assistance: staged payments and case-conference minutes (``payments``), the township reserve
fund (``reserve``). The temporary workflows' steps are in ``doudi.temporary.steps``."""

from doudi.temporary.services.payments import conference_minutes_attach, temporary_pay_stage
from doudi.temporary.services.reserve import fund_draw, fund_open, fund_top_up, reserve_min_fen, township_of

__all__ = [
    "conference_minutes_attach",
    "fund_draw",
    "fund_open",
    "fund_top_up",
    "reserve_min_fen",
    "temporary_pay_stage",
    "township_of",
]
