from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    # The four kinds of seed 002 一(三): 投诉举报咨询 and 求助. The values are the profile's key segment
    # (procedure.hotline.<kind>.*), so each kind has its own time limits.
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class Channel(models.TextChoices):
    PHONE = "phone", _("热线电话")
    PLATFORM_12345 = "12345", _("12345平台转办")
    WEB = "web", _("网上留言")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")


class Topic(models.TextChoices):
    DIBAO = "dibao", _("最低生活保障")
    TEKUN = "tekun", _("特困人员救助供养")
    TEMPORARY = "temporary", _("临时救助")
    SPECIAL = "special", _("专项救助")
    FUNDS = "funds", _("资金发放")
    STAFF = "staff", _("工作人员作风")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    RESPONDED = "responded", _("已初步答复")
    RESOLVED = "resolved", _("已办结答复")
    CLOSED = "closed", _("已回访归档")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.RESPONDED)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("登记")
    ACCEPTED = "accepted", _("受理")
    RESPONDED = "responded", _("初步答复")
    TRANSFERRED = "transferred", _("转办")
    ESCALATED = "escalated", _("超时督办")
    RESOLVED = "resolved", _("办结答复")
    CALLBACK = "callback", _("回访")
    LINKED = "linked", _("关联家庭/案件")
    APPLICATION = "application", _("转为救助申请")
    REVIEW = "review", _("启动核查")
    REPORTER_VIEWED = "reporter_viewed", _("查看来电人信息")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未能联系")


class LineResult(models.TextChoices):
    ANSWERED = "answered", _("接通并规范答复")
    ANSWERED_POORLY = "poor", _("接通但答复不规范")
    NO_ANSWER = "no_answer", _("无人接听")
