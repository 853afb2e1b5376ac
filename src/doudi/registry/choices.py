from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relationship(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("儿媳/女婿")
    OTHER = "other", _("其他")


class EvidenceSource(models.TextChoices):
    DECLARED = "declared", _("申报")
    INVESTIGATED = "investigated", _("入户调查")
    VERIFIED = "verified", _("核对平台")
    DEPARTMENT = "department", _("部门数据")
    IMPORTED = "imported", _("台账导入")


class IncomeKind(models.TextChoices):
    # Counted (national-rules §1.4, S1 Art 13)
    WAGE = "wage", _("工资性收入")
    BUSINESS = "business", _("经营净收入")
    PROPERTY = "property", _("财产净收入")
    TRANSFER = "transfer", _("转移性收入")
    TRANSFER_EXPENSE = "transfer_expense", _("转移性支出（赡养费、税费、社保缴费等）")
    OTHER = "other", _("其他应计收入")
    # Excluded items (national-rules §1.4 and §2.1; the rules engine decides which count for which program)
    PREFERENTIAL = "preferential", _("优待抚恤金")
    FAMILY_PLANNING = "family_planning", _("计划生育奖励与扶助金")
    SCHOLARSHIP = "scholarship", _("奖学金")
    REWARD = "reward", _("见义勇为等奖励性补助")
    ASSISTANCE = "assistance", _("政府发放的社会救助款物")
    BASIC_PENSION = "basic_pension", _("城乡居民基本养老保险基础养老金")
    ELDERLY_ALLOWANCE = "elderly_allowance", _("高龄津贴")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    FLEXIBLE = "flexible", _("灵活就业")
    SELF_EMPLOYED = "self_employed", _("自主经营/务农")
    UNEMPLOYED = "unemployed", _("失业")
    RETIRED = "retired", _("退休")
    NOT_IN_LABOUR_FORCE = "none", _("未就业（在校、无劳动能力等）")


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", _("医疗（自付）")
    EDUCATION = "education", _("教育")
    REHABILITATION = "rehabilitation", _("残疾康复")
    CARE = "care", _("照料护理")
    OTHER = "other", _("其他刚性支出")


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("银行存款")
    SECURITIES = "securities", _("有价证券/基金")
    INSURANCE = "insurance", _("商业保险")
    INTERNET_FINANCE = "internet_finance", _("互联网金融资产")
    VEHICLE = "vehicle", _("机动车辆")
    REAL_ESTATE = "real_estate", _("房产")
    BUSINESS = "business", _("市场主体登记")
    OTHER = "other", _("其他财产")


class DisabilityType(models.TextChoices):
    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class WorkAbilityLevel(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("学前教育")
    COMPULSORY = "compulsory", _("义务教育")
    HIGH_SCHOOL = "high_school", _("普通高中")
    VOCATIONAL = "vocational", _("中等职业教育")
    COLLEGE = "college", _("高职/大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class CircumstanceKind(models.TextChoices):
    """Facts that decide whether a member counts in the household (national-rules §1.2, S1 Art 7)."""

    IMPRISONED = "imprisoned", _("服刑")
    COMPULSORY_REHAB = "compulsory_rehab", _("强制隔离戒毒")
    DECLARED_MISSING = "declared_missing", _("宣告失踪")
    CLERGY_APART = "clergy_apart", _("宗教教职人员脱离家庭独立生活")
    NO_CIVIL_CAPACITY = "no_civil_capacity", _("无民事行为能力")
    REGISTERED_POOR = "registered_poor", _("脱贫户/防止返贫监测对象")
    # A child's father's or mother's situation, recorded on the child (孤儿、事实无人抚养儿童认定, national-rules §11.1;
    # the engine decides what they make: rules.special). The parent need not be on the register.
    FATHER_DEAD = "father_dead", _("父亲死亡")
    FATHER_MISSING = "father_missing", _("父亲宣告失踪")
    FATHER_DISABLED = "father_disabled", _("父亲重度残疾")
    FATHER_ILL = "father_ill", _("父亲重病")
    FATHER_DETAINED = "father_detained", _("父亲服刑在押、强制隔离戒毒或被限制人身自由")
    FATHER_NO_CONTACT = "father_no_contact", _("父亲失联")
    FATHER_REVOKED = "father_revoked", _("父亲被撤销监护资格")
    FATHER_DEPORTED = "father_deported", _("父亲被遣送出境")
    MOTHER_DEAD = "mother_dead", _("母亲死亡")
    MOTHER_MISSING = "mother_missing", _("母亲宣告失踪")
    MOTHER_DISABLED = "mother_disabled", _("母亲重度残疾")
    MOTHER_ILL = "mother_ill", _("母亲重病")
    MOTHER_DETAINED = "mother_detained", _("母亲服刑在押、强制隔离戒毒或被限制人身自由")
    MOTHER_NO_CONTACT = "mother_no_contact", _("母亲失联")
    MOTHER_REVOKED = "mother_revoked", _("母亲被撤销监护资格")
    MOTHER_DEPORTED = "mother_deported", _("母亲被遣送出境")


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    CONFIRMED = "confirmed", _("已复核生效")
    REJECTED = "rejected", _("已退回")
    SUPERSEDED = "superseded", _("已被新的变更取代")


class AccountChangeSource(models.TextChoices):
    SCREEN = "screen", _("修改家庭信息")
    IMPORT = "import", _("台账导入")
