from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WINDOW = "window", _("乡镇（街道）窗口")
    SELF_SERVICE = "self_service", _("网上/掌上自助申请")
    VILLAGE_AGENT = "village_agent", _("村（社区）代办")
    HOTLINE = "hotline", _("热线")
    DISCOVERY = "discovery", _("主动发现")


class Place(models.TextChoices):
    HUKOU = "hukou", _("户籍地")
    RESIDENCE = "residence", _("居住地（持居住证）")
    EMERGENCY = "emergency", _("急难发生地")


class CaseKind(models.TextChoices):
    NEW = "new", _("新申请")
    INCREASE = "increase", _("增加救助金")
    DECREASE = "decrease", _("减少救助金")
    STOP = "stop", _("停止救助")
    TEKUN_TERMINATION = "tekun_termination", _("终止特困供养")
    GRACE = "grace", _("启动渐退")


class Workflow(models.TextChoices):
    STANDARD = "standard", _("低保/特困审核确认")
    EMERGENCY = "emergency", _("急难型临时救助（先行救助）")
    EXPENDITURE = "expenditure", _("支出型临时救助")
    ADJUSTMENT = "adjustment", _("待遇调整与退出")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("一次性告知补正")
    ACCEPTED = "accepted", _("已受理")
    VERIFYING = "verifying", _("经济状况核对中")
    INVESTIGATING = "investigating", _("入户调查中")
    TOWNSHIP_REVIEWED = "township_reviewed", _("乡镇已初审")
    PUBLIC_NOTICE = "public_notice", _("公示中")
    OBJECTION = "objection", _("公示有异议")
    REINVESTIGATING = "reinvestigating", _("重新调查中")
    ADVANCE_PAID = "advance_paid", _("已先行救助")
    DECIDED_APPROVED = "decided_approved", _("已批准")
    DECIDED_REJECTED = "decided_rejected", _("不予批准")
    TERMINATED = "terminated", _("已终止审核")
    CLOSED = "closed", _("已办结")


FINAL_STATES = frozenset({State.DECIDED_APPROVED, State.DECIDED_REJECTED, State.TERMINATED, State.CLOSED})


class AuthorityLevel(models.TextChoices):
    COUNTY = "county", _("县级民政部门审核确认")
    TOWNSHIP = "township", _("乡镇（街道）审核确认（授权下放）")


class InvestigationKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("入户调查")
    NEIGHBOUR = "neighbour", _("邻里访问")
    LETTER = "letter", _("信函索证")
    REMOTE = "remote", _("非接触（电话/视频）调查")


class TemporaryType(models.TextChoices):
    EMERGENCY = "emergency", _("急难型")
    EXPENDITURE = "expenditure", _("支出型")


class TemporaryCause(models.TextChoices):
    FIRE = "fire", _("火灾")
    TRAFFIC = "traffic", _("交通事故")
    ACCIDENT = "accident", _("其他意外事件")
    SUDDEN_ILLNESS = "sudden_illness", _("突发重大疾病")
    SERIOUS_ILLNESS = "serious_illness", _("医疗支出")
    EDUCATION = "education", _("教育支出")
    OTHER = "other", _("其他特殊困难")


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("不予批准")


class AppealKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class AttachmentKind(models.TextChoices):
    """Supporting documents an applicant or the window may add (S1 Art 9(1): the applicant submits materials)."""

    ID_PROOF = "id_proof", _("身份证明")
    HUKOU_BOOK = "hukou_book", _("户口簿")
    DISABILITY = "disability", _("残疾证")
    MEDICAL = "medical", _("病历与费用票据")
    INCOME = "income", _("收入证明")
    ENTRUSTMENT = "entrustment", _("委托书")
    OTHER = "other", _("其他")
