from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    VILLAGE_ASSISTANT = "village_assistant", _("村（社区）社会救助协理员")
    TOWNSHIP_CASEWORKER = "township_caseworker", _("乡镇（街道）经办人员")
    CIVIL_AFFAIRS = "civil_affairs", _("县/市民政部门")
    DEPARTMENT = "department", _("其他部门人员")
    AUDITOR = "auditor", _("审计监督（只读）")
    ADMINISTRATOR = "administrator", _("系统管理员")


class Action(models.TextChoices):
    VIEW = "view", _("查看列表")
    VIEW_FULL = "view_full", _("查看完整个人信息")
    CHANGE = "change", _("新增和修改")
    DECIDE = "decide", _("审核确认")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    ADMINISTER = "administer", _("系统管理")
    # A department sends its monitoring data (部门数据报送) for its own area (doudi.monitoring feeds).
    SUBMIT_DATA = "submit_data", _("报送部门数据")


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    MEDICAL_SECURITY = "medical_security", _("医疗保障")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住房和城乡建设")
    HUMAN_RESOURCES = "human_resources", _("人力资源和社会保障")
    EMERGENCY = "emergency", _("应急管理")
    DISABLED_FEDERATION = "disabled_federation", _("残疾人联合会")
    RURAL_REVITALISATION = "rural_revitalisation", _("乡村振兴")
    PUBLIC_SECURITY = "public_security", _("公安")
    TAX = "tax", _("税务")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    FINANCE = "finance", _("财政")
    AUDIT = "audit", _("审计")
    DISCIPLINE = "discipline", _("纪检监察")
    HEALTH = "health", _("卫生健康")
    MARKET_REGULATION = "market_regulation", _("市场监督管理")
