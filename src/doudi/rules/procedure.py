"""Procedure timelines as profile values (national-rules §1.6, §2.2, §10): the case workflow reads them here instead
of keeping its own day counts. Day counts are kept as the texts give them: ``_days`` are calendar days (the 7-day
公示期 is written in 天), ``_workdays`` are working days (工作日), ``_months`` months."""

from __future__ import annotations

from dataclasses import dataclass, fields

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
}


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
