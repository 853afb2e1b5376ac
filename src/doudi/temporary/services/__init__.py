"""Writes of temporary assistance: staged payments and case-conference minutes (``payments``), the township reserve
fund (``reserve``) and its second-person confirmations (``checks``). The temporary workflows' steps are in
``doudi.temporary.steps``."""

from doudi.temporary.services.checks import advance_confirm, fund_top_up, fund_top_up_confirm
from doudi.temporary.services.payments import conference_minutes_attach, temporary_pay_stage
from doudi.temporary.services.reserve import fund_draw, fund_open, reserve_min_fen, township_of

__all__ = [
    "advance_confirm",
    "conference_minutes_attach",
    "fund_draw",
    "fund_open",
    "fund_top_up",
    "fund_top_up_confirm",
    "reserve_min_fen",
    "temporary_pay_stage",
    "township_of",
]
