from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewReason(models.TextChoices):
    PERIODIC = "periodic", _("定期核查")
    DEATH = "death", _("成员死亡核查")
    REPORT = "report", _("家庭报告/群众举报")
    DISCREPANCY = "discrepancy", _("核对发现差异")


class ReviewCategory(models.TextChoices):
    TEKUN = "tekun", _("特困人员（每年）")
    STABLE = "stable", _("收入稳定低保家庭（每年）")
    UNSTABLE = "unstable", _("收入不固定或有劳动能力成员的低保家庭（每半年）")
    # 孤儿、事实无人抚养儿童基本生活费, 困难残疾人生活补贴, 重度残疾人护理补贴 (rules.special):
    # ``review.months.special``
    SPECIAL = "special", _("孤儿、事实无人抚养儿童和残疾人两项补贴对象")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    IN_PROGRESS = "in_progress", _("核查中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("继续保障（金额不变）")
    ADJUST = "adjust", _("调整救助金额")
    GRACE = "grace", _("启动渐退")
    STOP = "stop", _("停止救助/终止供养")


class ScanState(models.TextChoices):
    RUNNING = "running", _("扫描中")
    DONE = "done", _("已完成")


class OverpaymentReason(models.TextChoices):
    DEATH = "death", _("死亡后继续发放")
    CONCEALED_INCOME = "concealed_income", _("隐瞒收入/财产")
    FALSE_REPORT = "false_report", _("虚报、伪造材料")
    UNREPORTED_CHANGE = "unreported_change", _("家庭情况变化未报告")
    OTHER = "other", _("其他")


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", _("待追回")
    PARTIAL = "partial", _("部分追回")
    RECOVERED = "recovered", _("已追回")
    WAIVED = "waived", _("经批准核销")


class RecoveryMethod(models.TextChoices):
    CASH = "cash", _("现金退回")
    TRANSFER = "transfer", _("银行转账退回")
    DEDUCTION = "deduction", _("从后续救助金中扣回")
    OTHER = "other", _("其他")


class CreditReason(models.TextChoices):
    UNREPORTED = "unreported", _("无正当理由未及时报告家庭经济状况重大变化")
    CONCEALMENT = "concealment", _("隐瞒家庭收入、财产")
    FALSE_REPORT = "false_report", _("虚报、谎报家庭经济状况")
    FORGERY = "forgery", _("伪造证明材料")


class CreditSource(models.TextChoices):
    REVIEW = "review", _("定期核查")
    VERIFICATION = "verification", _("信息核对")
    REPORT = "report", _("举报核实")
    AUDIT = "audit", _("审计/督查")


class JobOfferResult(models.TextChoices):
    ACCEPTED = "accepted", _("接受")
    REFUSED = "refused", _("拒绝")
