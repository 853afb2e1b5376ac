from django.db import models
from django.utils.translation import gettext_lazy as _


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    APPROVED = "approved", _("已审批")
    EXPORTED = "exported", _("已导出银行文件")
    RECONCILED = "reconciled", _("已对账")


class GenerationState(models.TextChoices):
    PENDING = "pending", _("待生成")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")


class LineKind(models.TextChoices):
    REGULAR = "regular", _("按月发放")
    BACKPAY = "backpay", _("补发")
    GRACE = "grace", _("渐退期发放")
    ONE_OFF = "one_off", _("一次性补助")
    PRICE = "price", _("价格临时补贴")
    REISSUE = "reissue", _("失败重发")
    SETTLEMENT = "settlement", _("医疗机构结算")


# Kinds that pay the monthly benefit itself: at most one of them per entitlement and month, ever.
BASE_KINDS = (LineKind.REGULAR, LineKind.BACKPAY, LineKind.GRACE)

KIND_CODE = {"regular": "M", "backpay": "B", "grace": "G", "one_off": "O", "price": "P", "reissue": "R",
             "settlement": "S"}


class LineStatus(models.TextChoices):
    PENDING = "pending", _("待发放")
    PAID = "paid", _("发放成功")
    FAILED = "failed", _("发放失败")
    # Not sent to the bank: no account on file when the payroll was generated (or held by hand). The rest of the
    # payroll goes out; a held line is paid later through the supplementary payroll once the account is fixed.
    HELD = "held", _("暂缓发放")


class FundLevel(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省（自治区）级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    DONATION = "donation", _("社会捐赠")


class FundUse(models.TextChoices):
    DIBAO = "dibao", _("最低生活保障")
    DIBAO_SINGLE = "dibao_single", _("最低生活保障（单人户）")
    TEKUN = "tekun", _("特困人员救助供养")
    TEMPORARY = "temporary", _("临时救助")
    MEDICAL = "medical", _("医疗救助")
    PURCHASED_SERVICES = "purchased_services", _("政府购买服务")
    # special groups have budget lines of their own (national-rules §11)
    ORPHAN = "orphan", _("孤儿、事实无人抚养儿童基本生活费")
    DISABLED_LIVING = "disabled_living", _("困难残疾人生活补贴")
    DISABLED_CARE = "disabled_care", _("重度残疾人护理补贴")


# The fund a payroll program spends when it is not a fund of its own: the carer's fee is the 照料护理 part of 特困
# support (特困人员救助供养标准 = 基本生活标准 + 照料护理标准, seed 000 三(一)3), so it is spent from the 特困 fund.
SPENT_FROM = {"care_fee": FundUse.TEKUN.value}


def fund_of(program: str) -> str:
    """The fund use a payroll program's spending counts against (``FundUse`` value)."""
    return SPENT_FROM.get(program, program)


# care_fee: the carer's fee under a care agreement (doudi.care), paid at the agreed ``monthly_fen`` (no basis).
# orphan, disabled_living, disabled_care: special groups (rules.special), paid at the decided ``monthly_fen``.
PAYROLL_PROGRAMS = ("dibao", "dibao_single", "tekun", "care_fee", "orphan", "disabled_living", "disabled_care")
LIVING_PROGRAMS = ("dibao", "dibao_single", "tekun")  # basic living assistance: price linkage, one-off subsidies
