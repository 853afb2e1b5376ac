"""Government purchase of social-assistance services: the caps and shares a locality sets (pure; no Django).

- Total purchased services in a year ≤ ``funds.purchased_services_cap`` × last year's central + provincial
  (autonomous-region) subsidy funds ([000] 三(五)4: 原则上不得超过 … 总和的 2%);
- of new purchased services, the share bought from social organisations ≥ ``funds.social_org_share_min``
  ([001] 二(五)16: 向社会组织购买的比例原则上不低于 30%).

Money in integer fen, shares in basis points (10 000 = 100 %). The cap rounds down to the fen ("not more than").
"""

from __future__ import annotations

from dataclasses import dataclass

BP = 10_000


@dataclass(frozen=True)
class PurchaseCheck:
    cap_fen: int | None  # None: the profile sets no cap
    total_after_fen: int
    over_cap: bool
    social_share_after_bp: int | None  # None: nothing purchased yet
    under_share: bool


def purchase_check(*, base_fen: int, purchased_fen: int, social_fen: int, amount_fen: int, social: bool,
                   cap_bp: int | None, share_min_bp: int | None) -> PurchaseCheck:
    """Would a new contract of ``amount_fen`` (with a social organisation when ``social``) keep the year within the
    profile's cap and share? ``purchased_fen``/``social_fen``: this year's contracts so far, all / with social
    organisations."""
    total = purchased_fen + amount_fen
    social_total = social_fen + (amount_fen if social else 0)
    cap = None if cap_bp is None else base_fen * cap_bp // BP
    share = None if total == 0 else social_total * BP // total
    return PurchaseCheck(cap_fen=cap, total_after_fen=total, over_cap=cap is not None and total > cap,
                         social_share_after_bp=share,
                         under_share=share_min_bp is not None and share is not None and share < share_min_bp)
