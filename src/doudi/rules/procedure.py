"""Procedure timelines as profile values (national-rules §1.6, §2.2, §10): the case workflow reads them here instead
of keeping its own day counts. Day counts are kept as the texts give them: ``_days`` are calendar days (the 7-day
公示期 is written in 天), ``_workdays`` are working days (工作日), ``_months`` months."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from doudi.rules.params import Params

# key → (unit, Chinese description). The national profile gives each its value and source.
PROCEDURE_KEYS: dict[str, tuple[str, str]] = {
    "procedure.notice_days": ("days", "初审意见公示期，天（低保、特困）"),
    "procedure.investigation_start_workdays": ("workdays", "受理后启动家庭经济状况调查的时限，工作日"),
    "procedure.verification_start_workdays": ("workdays", "县级收到乡镇请求后启动信息核对的时限，工作日"),
    "procedure.county_opinion_workdays": ("workdays", "县级收到乡镇材料后提出审核确认意见的时限，工作日（低保）"),
    "procedure.total_workdays": ("workdays", "低保办理总时限（自受理），工作日"),
    "procedure.total_special_workdays": ("workdays", "低保特殊情况办理总时限，工作日"),
    "procedure.total_delegated_workdays": ("workdays", "审核确认权限下放乡镇时的办理总时限，工作日"),
    "procedure.total_delegated_special_workdays": ("workdays",
                                                   "权限下放时有异议、人户分离、异地申办等情况的总时限，工作日"),
    "procedure.rejection_notice_workdays": ("workdays", "不予批准的书面通知时限（自决定），工作日"),
    "procedure.tekun_first_review_workdays": ("workdays", "特困人员乡镇调查并提出初审意见的时限（自受理），工作日"),
    "procedure.tekun_objection_workdays": ("workdays", "特困人员公示有异议时重新调查并提出意见的时限，工作日"),
    "procedure.tekun_county_workdays": ("workdays", "特困人员县级审核确认时限，工作日"),
    "procedure.tekun_random_check_share": ("ratio", "特困人员县级随机抽查入户比例（不低于）"),
    "procedure.tekun_reassessment_workdays": ("workdays", "特困人员生活自理能力变化后重新评估的时限，工作日"),
    "procedure.tekun_termination_notice_days": ("days", "拟终止特困供养的公示期，天"),
    "procedure.death_check_months": ("months", "家庭成员死亡后入户核查的时限，月"),
    "procedure.min_investigators": ("count", "每组入户调查人员最少人数"),
    "procedure.job_refusals": ("count", "无正当理由连续拒绝介绍的工作达此次数，减发或停发其本人低保金"),
    "procedure.rigid_total_workdays": ("workdays", "刚性支出困难家庭认定时限（自受理），工作日"),
    "procedure.rigid_total_special_workdays": ("workdays", "刚性支出困难家庭特殊情况认定时限，工作日"),
    "procedure.advance_paperwork_workdays": ("workdays", "急难型先行救助后补齐手续的时限，工作日"),
    "procedure.temporary_payment_workdays": ("workdays", "支出型临时救助批准后发放的时限，工作日"),
    "procedure.advance_confirm_days": ("days", "备用金先行救助发放后由另一名工作人员复核确认的时限，天"),
    # Hotline and complaint tickets (doudi.hotline; seed 002 一(三), requirements §7): 受理, 首次答复, 办结 per kind.
    **{f"procedure.hotline.{kind}.{stage}_workdays": ("workdays", f"热线{label}：{what}时限，工作日（0 = 当日）")
       for kind, label in (("consultation", "咨询"), ("help", "求助"), ("complaint", "投诉"), ("report", "举报"))
       for stage, what in (("acknowledge", "登记后受理"), ("response", "受理后首次答复"),
                           ("resolution", "受理后办结答复"))},
    "procedure.hotline.urgent_help_workdays": ("workdays", "紧急求助办结时限，工作日（0 = 当日）"),
    # 双随机一公开 (doudi.supervision; seed 000 四(四), 004 十(三)).
    "procedure.inspection.rectification_workdays": ("workdays", "抽查发现问题的整改时限，工作日"),
    "procedure.inspection.publish_workdays": ("workdays", "抽查结束后公开检查结果的时限，工作日"),
    # 转介 (doudi.referrals; national-rules §7 “一门受理、协同办理”): the receiving department's answer.
    "procedure.referral.answer_workdays": ("workdays", "转介部门答复时限，工作日"),
}

# Read by doudi.hotline, doudi.supervision and doudi.referrals through ``policy.services.values_as_of``, not by the
# engine: like the monitoring rules they stay out of ``Profile.params_as_of``, so tuning a hotline limit never
# changes the version stored with an eligibility decision.
NOT_ENGINE_PREFIXES = ("procedure.hotline.", "procedure.inspection.", "procedure.referral.")

HOTLINE_KINDS = ("consultation", "help", "complaint", "report")
HOTLINE_STAGES = ("acknowledge", "response", "resolution")


@dataclass(frozen=True)
class HotlineLimits:
    """Working days a ticket of one kind has for each stage (``None``: the profile sets no value)."""

    acknowledge: int | None
    response: int | None
    resolution: int | None


def hotline_limits(params: Mapping[str, Any], kind: str, *, urgent: bool = False) -> HotlineLimits:
    """The time limits of a ticket of ``kind``; an urgent help request is resolved within the urgent limit."""
    values = {stage: params.get(f"procedure.hotline.{kind}.{stage}_workdays") for stage in HOTLINE_STAGES}
    if urgent and kind == "help":
        urgent_days = params.get("procedure.hotline.urgent_help_workdays")
        if urgent_days is not None:
            values = {stage: min(v, urgent_days) if v is not None else urgent_days for stage, v in values.items()}
    return HotlineLimits(**values)


@dataclass(frozen=True)
class Timelines:
    """The timelines in force for one profile and date (``None``: the profile sets no value on that date).
    Field names are the keys without ``procedure.``; ``tekun_random_check_share`` is in basis points."""

    notice_days: int | None
    investigation_start_workdays: int | None
    verification_start_workdays: int | None
    county_opinion_workdays: int | None
    total_workdays: int | None
    total_special_workdays: int | None
    total_delegated_workdays: int | None
    total_delegated_special_workdays: int | None
    rejection_notice_workdays: int | None
    tekun_first_review_workdays: int | None
    tekun_objection_workdays: int | None
    tekun_county_workdays: int | None
    tekun_random_check_share: int | None
    tekun_reassessment_workdays: int | None
    tekun_termination_notice_days: int | None
    death_check_months: int | None
    min_investigators: int | None
    job_refusals: int | None
    rigid_total_workdays: int | None
    rigid_total_special_workdays: int | None
    advance_paperwork_workdays: int | None
    temporary_payment_workdays: int | None
    advance_confirm_days: int | None


def timelines(params: Params) -> Timelines:
    """``Timelines`` from the parameters of one profile and date (``Profile.params_as_of``)."""
    return Timelines(**{f.name: params.get(f"procedure.{f.name}") for f in fields(Timelines)})
