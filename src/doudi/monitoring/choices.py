from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Who is in the low-income population database (S7 §2; national-rules §5.1). Codes match
    ``doudi.rules.monitoring.CATEGORY_BITS``."""

    DIBAO = "dibao", _("低保对象")
    TEKUN = "tekun", _("特困人员")
    MARGIN = "margin", _("低保边缘家庭成员")
    RIGID = "rigid", _("刚性支出困难家庭成员")
    MONITORED = "monitored", _("防止返贫监测对象")
    OTHER = "other", _("其他困难人员")


class EntrySource(models.TextChoices):
    ENTITLEMENT = "entitlement", _("在保救助待遇")
    IDENTIFICATION = "identification", _("低收入家庭认定")
    EXIT_LINKAGE = "exit_linkage", _("退出低保后衔接认定")
    FEED = "feed", _("部门数据推送")
    MANUAL = "manual", _("本地登记")


class IdentificationCategory(models.TextChoices):
    MARGIN = "margin", _("低保边缘家庭")
    RIGID = "rigid", _("刚性支出困难家庭")


class IdentificationChannel(models.TextChoices):
    APPLY = "apply", _("家庭申请")
    DISCOVERED = "discovered", _("主动发现")
    WARNING = "warning", _("预警核实")


class IdentificationState(models.TextChoices):
    PROPOSED = "proposed", _("已提出待核对")
    VERIFIED = "verified", _("已核对测算待审批")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("不予认定")


class Severity(models.TextChoices):
    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")


class WarningSource(models.TextChoices):
    MATCHING = "matching", _("数据比对（县级下推）")
    VILLAGE = "village", _("村（社区）主动发现上报")


class WarningStatus(models.TextChoices):
    NEW = "new", _("待下发")
    PUSHED = "pushed", _("已下发待核实")
    VISITED = "visited", _("已核实待乡镇确认")
    CLOSED = "closed", _("已处置")


OPEN_STATUSES = (WarningStatus.NEW, WarningStatus.PUSHED, WarningStatus.VISITED)


class Response(models.TextChoices):
    """What the village proposes and the township confirms (S7 §3(4) 分类处置)."""

    APPLY = "apply", _("启动救助申请")
    IDENTIFY = "identify", _("低收入家庭认定")
    REFER = "refer", _("转介相关部门")
    REVIEW = "review", _("复核在保待遇")
    STOP = "stop", _("停发核查")
    DISMISS = "dismiss", _("排除（说明理由）")


class SuggestedResponse(models.TextChoices):
    """A rule's suggested response (``doudi.rules.monitoring.RESPONSES``)."""

    VISIT = "visit", _("入户核实")
    APPLY_DIBAO = "apply_dibao", _("引导申请低保")
    APPLY_TEKUN = "apply_tekun", _("引导申请特困供养")
    APPLY_TEMPORARY = "apply_temporary", _("引导申请临时救助")
    IDENTIFY_MARGIN = "identify_margin", _("低保边缘家庭认定")
    IDENTIFY_RIGID = "identify_rigid", _("刚性支出困难家庭认定")
    REFER_MEDICAL = "refer_medical", _("转介医疗救助")
    REFER_EDUCATION = "refer_education", _("转介教育救助")
    REFER_HOUSING = "refer_housing", _("转介住房救助")
    REFER_EMPLOYMENT = "refer_employment", _("转介就业救助")
    REFER_DISASTER = "refer_disaster", _("转介受灾人员救助")
    REVIEW = "review", _("复核在保待遇")
    STOP = "stop", _("停发核查")


class RunState(models.TextChoices):
    EXPORTING = "exporting", _("导出数据")
    MATCHING = "matching", _("比对中")
    STORING = "storing", _("写入预警")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Engine(models.TextChoices):
    DUCKDB = "duckdb", _("DuckDB（单机）")
    SPARK = "spark", _("Apache Spark（省级/全国）")


class FeedFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"
    PARQUET = "parquet", "Parquet"
    PUSH = "push", _("接口推送")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已落实")
    DROPPED = "dropped", _("不再需要")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("帮扶中")
    CLOSED = "closed", _("已结束")
