from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorisationMethod(models.TextChoices):
    PAPER_SCAN = "paper_scan", _("纸质授权书扫描件")
    E_SIGNATURE = "e_signature", _("手机电子签名")


class AuthorisationRole(models.TextChoices):
    MEMBER = "member", _("家庭成员")
    SUPPORTER = "supporter", _("法定赡养（抚养、扶养）义务人")


class DataDepartment(models.TextChoices):
    """Holding units named in S3 Art 58 and S1 Art 17 (national-rules §6.1–6.2)."""

    CIVIL_AFFAIRS = "civil_affairs", _("民政（婚姻、殡葬）")
    PUBLIC_SECURITY = "public_security", _("公安（户籍、车辆）")
    TAX = "tax", _("税务")
    HUMAN_RESOURCES = "human_resources", _("人力资源和社会保障")
    NATURAL_RESOURCES = "natural_resources", _("自然资源（不动产登记）")
    MARKET_REGULATION = "market_regulation", _("市场监管")
    HOUSING_FUND = "housing_fund", _("住房公积金中心")
    BANK = "bank", _("银行")
    SECURITIES = "securities", _("证券机构")
    INSURANCE = "insurance", _("保险机构")
    INTERNET_FINANCE = "internet_finance", _("互联网金融机构")


class SourceCategory(models.TextChoices):
    """The items checked for 低保 (S1 Art 17; national-rules §6.2), plus death records (S5 §3(2))."""

    CIVIL_REGISTRY = "civil_registry", _("户籍与死亡")
    TAX = "tax", _("纳税记录")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险缴纳")
    REAL_ESTATE = "real_estate", _("不动产登记")
    BUSINESS = "business", _("市场主体登记")
    HOUSING_FUND = "housing_fund", _("住房公积金缴纳")
    VEHICLE = "vehicle", _("车船登记")
    DEPOSIT = "deposit", _("银行存款")
    SECURITIES = "securities", _("证券")
    INSURANCE = "insurance", _("商业保险")
    INTERNET_FINANCE = "internet_finance", _("互联网金融资产")


# Which categories each department may deliver; a file mixing in another department's category is refused.
DEPARTMENT_CATEGORIES: dict[str, frozenset[str]] = {
    DataDepartment.CIVIL_AFFAIRS: frozenset({SourceCategory.CIVIL_REGISTRY}),
    DataDepartment.PUBLIC_SECURITY: frozenset({SourceCategory.CIVIL_REGISTRY, SourceCategory.VEHICLE}),
    DataDepartment.TAX: frozenset({SourceCategory.TAX}),
    DataDepartment.HUMAN_RESOURCES: frozenset({SourceCategory.SOCIAL_INSURANCE}),
    DataDepartment.NATURAL_RESOURCES: frozenset({SourceCategory.REAL_ESTATE}),
    DataDepartment.MARKET_REGULATION: frozenset({SourceCategory.BUSINESS}),
    DataDepartment.HOUSING_FUND: frozenset({SourceCategory.HOUSING_FUND}),
    DataDepartment.BANK: frozenset({SourceCategory.DEPOSIT}),
    DataDepartment.SECURITIES: frozenset({SourceCategory.SECURITIES}),
    DataDepartment.INSURANCE: frozenset({SourceCategory.INSURANCE}),
    DataDepartment.INTERNET_FINANCE: frozenset({SourceCategory.INTERNET_FINANCE}),
}

# Findings of these categories are monthly incomes (registry Income); the row's kind is an IncomeKind.
INCOME_CATEGORIES = frozenset({SourceCategory.TAX, SourceCategory.SOCIAL_INSURANCE, SourceCategory.HOUSING_FUND})

# Findings of these categories are property (registry Asset); the AssetKind they become.
ASSET_KIND_FOR_CATEGORY: dict[str, str] = {
    SourceCategory.REAL_ESTATE: "real_estate",
    SourceCategory.BUSINESS: "business",
    SourceCategory.VEHICLE: "vehicle",
    SourceCategory.DEPOSIT: "deposit",
    SourceCategory.SECURITIES: "securities",
    SourceCategory.INSURANCE: "insurance",
    SourceCategory.INTERNET_FINANCE: "internet_finance",
}

DEATH_KIND = "death"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请，待核对")
    COMPLETED = "completed", _("已出具报告")


class DiscrepancyKind(models.TextChoices):
    UNDECLARED_INCOME = "undeclared_income", _("未申报收入")
    INCOME_DIFFERS = "income_differs", _("收入与申报不符")
    UNDECLARED_ASSET = "undeclared_asset", _("未申报财产")
    ASSET_DIFFERS = "asset_differs", _("财产与申报不符")
    DEATH = "death", _("成员死亡登记")


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采信并更新台账")
    DISMISSED = "dismissed", _("经核实不予采信")
