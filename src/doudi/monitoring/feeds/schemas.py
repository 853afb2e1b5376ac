"""The declared schema of each department feed (部门数据推送): columns, natural key and what the job reads.

A department delivers a file (CSV, Excel, Parquet) or an exchange push with these columns; headers may be the
Chinese header or the English key. Choice columns accept the Chinese label or the code. Type codes come from
``doudi.rules.monitoring.FEED_CODES``, the vocabulary the warning rules are written in. docs/monitoring.md lists
the same tables for departments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department as D
from doudi.rules.monitoring import FEED_CODES


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # id, text, date, yuan, int, choice, village, bool
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # Chinese label -> code


@dataclass(frozen=True)
class Feed:
    code: str
    title: str
    departments: tuple[str, ...]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key columns: a row delivered twice loads once
    date: str  # the column giving the event date
    type_column: str = ""  # the choice column giving the type code; empty: the feed's only code
    amount: str = ""  # the money column the rules sum or compare
    grade: str = ""
    item: str = ""  # what a holding is (plate, credit code, unit number): counted once per item
    snapshot: bool = False  # holdings as of the delivery month (the month is the period, not the date)
    area_rows: bool = False  # a row may name a village instead of a person

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def codes(self) -> dict[str, int]:
        return FEED_CODES[self.code]


ID = Column("id_number", "身份证号码", "id", required=True)
NAME = Column("name", "姓名", "text")


def _choice(key: str, header: str, labels: dict[str, str], *, required: bool = True) -> Column:
    return Column(key, header, "choice", required=required, choices=labels)


FEEDS: dict[str, Feed] = {f.code: f for f in (
    Feed("medical_settlement", _("医疗保障：医疗费用结算"), (D.MEDICAL_SECURITY,), (
        ID, NAME,
        Column("settlement_no", "结算单号", "text", required=True),
        Column("settled_on", "结算日期", "date", required=True),
        _choice("visit_type", "就诊类型", {"门诊": "outpatient", "住院": "inpatient"}),
        Column("total_yuan", "医疗总费用（元）", "yuan", required=True),
        Column("oop_yuan", "个人自付（元）", "yuan", required=True),
        Column("hospital", "医疗机构", "text"),
    ), key=("settlement_no",), date="settled_on", type_column="visit_type", amount="oop_yuan"),
    Feed("death", _("公安、卫健、殡葬：死亡信息"), (D.PUBLIC_SECURITY, D.HEALTH, D.CIVIL_AFFAIRS), (
        ID, NAME,
        Column("died_on", "死亡日期", "date", required=True),
        Column("origin", "信息来源", "text"),
    ), key=("id_number",), date="died_on"),
    Feed("hukou_move", _("公安：户籍迁移"), (D.PUBLIC_SECURITY,), (
        ID, NAME,
        Column("moved_on", "迁移日期", "date", required=True),
        _choice("direction", "迁移类别", {"迁出": "move_out", "迁入": "move_in"}),
        Column("place", "迁往（迁自）地区", "text"),
    ), key=("id_number", "moved_on", "direction"), date="moved_on", type_column="direction"),
    Feed("employment", _("人力资源社会保障：就业失业、养老金、工资"), (D.HUMAN_RESOURCES,), (
        ID, NAME,
        _choice("record_type", "记录类别", {"失业登记": "unemployed", "就业登记": "employed", "养老金": "pension",
                                        "工资": "wage"}),
        Column("occurred_on", "日期", "date", required=True),
        Column("monthly_yuan", "月金额（元）", "yuan"),
        Column("employer", "单位", "text"),
    ), key=("id_number", "record_type", "occurred_on"), date="occurred_on", type_column="record_type",
        amount="monthly_yuan"),
    Feed("disability", _("残疾人联合会：残疾人证"), (D.DISABLED_FEDERATION,), (
        ID, NAME,
        _choice("record_type", "办证类别", {"新办": "issued", "等级变更": "changed", "注销": "cancelled"}),
        Column("issued_on", "办理日期", "date", required=True),
        Column("disability_type", "残疾类别", "text"),
        Column("grade", "残疾等级", "int", required=True),
    ), key=("id_number", "record_type", "issued_on"), date="issued_on", type_column="record_type", grade="grade"),
    Feed("disaster", _("应急管理：受灾信息"), (D.EMERGENCY,), (
        Column("id_number", "身份证号码", "id"),
        NAME,
        Column("village_code", "村（社区）区划代码", "village"),
        Column("occurred_on", "受灾日期", "date", required=True),
        _choice("hazard", "灾种", {"洪涝": "flood", "干旱": "drought", "雪灾": "snow", "火灾": "fire",
                                 "地震": "earthquake", "其他": "other"}),
        Column("loss_yuan", "损失金额（元）", "yuan"),
        Column("house_damaged", "房屋倒损", "bool"),
    ), key=("id_number", "village_code", "occurred_on", "hazard"), date="occurred_on", type_column="hazard",
        amount="loss_yuan", area_rows=True),
    Feed("education", _("教育：学籍变动"), (D.EDUCATION,), (
        ID, NAME,
        _choice("record_type", "类别", {"辍学": "dropout", "入学": "enrolled", "毕业": "graduated",
                                     "休学": "suspended"}),
        Column("occurred_on", "日期", "date", required=True),
        Column("school", "学校", "text"),
        Column("level", "学段", "text"),
    ), key=("id_number", "record_type", "occurred_on"), date="occurred_on", type_column="record_type"),
    Feed("housing", _("住房和城乡建设：住房安全"), (D.HOUSING,), (
        ID, NAME,
        _choice("record_type", "类别", {"C级危房": "dangerous_c", "D级危房": "dangerous_d",
                                     "公租房保障": "public_rental", "危房改造完成": "renovated"}),
        Column("assessed_on", "鉴定日期", "date", required=True),
        Column("address", "住址", "text"),
    ), key=("id_number", "record_type", "assessed_on"), date="assessed_on", type_column="record_type"),
    Feed("vehicle", _("公安交管：机动车登记"), (D.PUBLIC_SECURITY,), (
        ID, NAME,
        Column("plate", "号牌号码", "text", required=True),
        _choice("vehicle_type", "车辆类型", {"小型汽车": "car", "货车": "truck", "摩托车": "motorcycle",
                                             "其他": "other"}),
        Column("registered_on", "登记日期", "date", required=True),
        Column("value_yuan", "车辆价值（元）", "yuan"),
    ), key=("plate",), date="registered_on", type_column="vehicle_type", amount="value_yuan", item="plate",
        snapshot=True),
    Feed("company", _("市场监管：市场主体登记"), (D.MARKET_REGULATION,), (
        ID, NAME,
        Column("credit_code", "统一社会信用代码", "text", required=True),
        _choice("entity_type", "主体类型", {"个体工商户": "individual", "企业": "enterprise"}),
        Column("role", "身份", "text"),
        Column("registered_on", "登记日期", "date", required=True),
        Column("capital_yuan", "注册资本（元）", "yuan"),
    ), key=("credit_code", "id_number"), date="registered_on", type_column="entity_type", amount="capital_yuan",
        item="credit_code", snapshot=True),
    Feed("real_estate", _("自然资源：不动产登记"), (D.NATURAL_RESOURCES,), (
        ID, NAME,
        Column("unit_no", "不动产单元号", "text", required=True),
        _choice("use", "用途", {"住宅": "residential", "商业": "commercial", "其他": "other"}),
        Column("registered_on", "登记日期", "date", required=True),
        Column("floor_area", "面积（平方米）", "text"),
    ), key=("unit_no", "id_number"), date="registered_on", type_column="use", item="unit_no", snapshot=True),
    Feed("return_poverty", _("乡村振兴：防止返贫监测对象"), (D.RURAL_REVITALISATION,), (
        ID, NAME,
        _choice("monitor_type", "监测类型", {"脱贫不稳定户": "unstable", "边缘易致贫户": "marginal",
                                         "突发严重困难户": "sudden", "风险消除": "released"}),
        Column("since", "纳入（消除）日期", "date", required=True),
        Column("risk", "主要风险", "text"),
    ), key=("id_number", "monitor_type", "since"), date="since", type_column="monitor_type"),
    Feed("assistance_elsewhere", _("省级平台：外地救助享受信息"), (D.CIVIL_AFFAIRS,), (
        ID, NAME,
        _choice("program", "救助项目", {"低保": "dibao", "特困": "tekun", "其他": "other"}),
        Column("place", "享受地区", "text", required=True),
        Column("since", "起始日期", "date", required=True),
    ), key=("id_number", "program", "since"), date="since", type_column="program"),
)}


def feeds_for(department: str) -> list[Feed]:
    """The feeds a department may send; civil affairs may load any feed it received through the exchange."""
    if department == D.CIVIL_AFFAIRS:
        return list(FEEDS.values())
    return [f for f in FEEDS.values() if department in f.departments]
