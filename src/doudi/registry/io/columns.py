"""The column layout of the registry spreadsheet: one row per person in a household.

The template, the importer and the exporter all use ``COLUMNS``, so an export re-imports unchanged. Cells hold
Chinese labels (男/女, 户主, 城市/农村, 一级…), never internal codes; ``LABELS`` maps each label column to its choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from doudi.regions.choices import AreaType
from doudi.registry.choices import (
    DisabilityType,
    EmploymentStatus,
    Relationship,
    SchoolLevel,
    WorkAbilityLevel,
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    group: str  # household / person / evidence
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column(
        "number",
        "户编号",
        "已有家庭填写系统户编号；新家庭留空（户主行在前，其后紧接的空户编号行为该户成员）",
        "household",
        18,
    ),
    Column(
        "region", "村（社区）区划代码", "12位统计用区划代码，必须是您辖区内的村（社区）；新家庭必填", "household", 16
    ),
    Column("address", "住址", "新家庭必填", "household", 24),
    Column("area_type", "城乡", "城市 / 农村；留空按所在村（社区）", "household", 8),
    Column("phone", "联系电话", "家庭联系电话", "household"),
    Column("bank_name", "开户银行", "低保金发放账户的开户银行", "household", 16),
    Column("bank_account", "银行账号", "请设置为文本格式，避免被改写为科学计数", "household", 22),
    Column("account_holder", "账户户名", "", "household", 10),
    Column("id_number", "身份证号码", "18位居民身份证号码，必填；请设置为文本格式", "person", 22),
    Column("name", "姓名", "必填；已登记人员须与原姓名一致", "person", 10),
    Column("relationship", "与户主关系", "户主 / 配偶 / 子女 …（见“代码表”）；每户有且只有一名户主", "person", 12),
    Column("member_from", "成员起始日期", "加入本户的日期，如 2020-01-01；新增成员时留空按台账日期", "person", 12),
    Column("ethnicity", "民族", "", "person", 8),
    Column("mobile", "手机号", "", "person", 14),
    Column("wage", "工资性收入（元/月）", "月均金额，最多两位小数；留空表示不变更，填0表示无此收入", "evidence"),
    Column("business", "经营净收入（元/月）", "同上", "evidence"),
    Column("property", "财产净收入（元/月）", "同上", "evidence"),
    Column("transfer", "转移性收入（元/月）", "同上（不含基础养老金）", "evidence"),
    Column("basic_pension", "基础养老金（元/月）", "城乡居民基本养老保险基础养老金", "evidence"),
    Column("medical_expense", "医疗自付支出（元/月）", "刚性支出，月均金额", "evidence"),
    Column("education_expense", "教育支出（元/月）", "刚性支出，月均金额", "evidence"),
    Column("disability_type", "残疾类别", "视力残疾 / 听力残疾 …（见“代码表”），与残疾等级同时填写", "evidence", 12),
    Column("disability_grade", "残疾等级", "一级 / 二级 / 三级 / 四级", "evidence", 10),
    Column("illness", "疾病名称", "患病时填写疾病名称", "evidence", 16),
    Column("serious_illness", "重特大疾病", "是 / 否（填写疾病名称时有效，留空为否）", "evidence", 10),
    Column("work_ability", "劳动能力", "有劳动能力 / 部分丧失劳动能力 / 无劳动能力", "evidence", 16),
    Column("employment", "就业状态", "就业 / 灵活就业 / 失业 …（见“代码表”）", "evidence", 16),
    Column("school_level", "在校学段", "学前教育 / 义务教育 / 普通高中 …（见“代码表”）", "evidence", 12),
    Column("deposit", "存款（元）", "银行存款余额合计", "evidence"),
    Column("vehicles", "机动车数量", "整数，辆", "evidence", 10),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]

# (evidence column key) → (model name, income/expense/asset kind)
MONEY_EVIDENCE = {
    "wage": ("income", "wage"),
    "business": ("income", "business"),
    "property": ("income", "property"),
    "transfer": ("income", "transfer"),
    "basic_pension": ("income", "basic_pension"),
    "medical_expense": ("expense", "medical"),
    "education_expense": ("expense", "education"),
    "deposit": ("asset", "deposit"),
}

GRADES = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}
YES_NO = {"是": True, "否": False}


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices}


def label_maps() -> dict[str, dict[str, str | int | bool]]:
    """Label → stored value for every column whose cells come from a fixed list (built per call: labels are lazy)."""
    return {
        "area_type": _labels(AreaType),
        "relationship": _labels(Relationship),
        "disability_type": _labels(DisabilityType),
        "disability_grade": GRADES,
        "serious_illness": YES_NO,
        "work_ability": _labels(WorkAbilityLevel),
        "employment": _labels(EmploymentStatus),
        "school_level": _labels(SchoolLevel),
    }


def value_labels() -> dict[str, dict]:
    """Stored value → label, for the exporter."""
    return {key: {v: k for k, v in mapping.items()} for key, mapping in label_maps().items()}


def normalize_header(text: str) -> str:
    return (
        str(text or "")
        .strip()
        .replace(" ", "")
        .replace("\u3000", "")
        .replace("(", "（")
        .replace(")", "）")
        .replace("／", "/")
    )


HEADER_TO_KEY = {normalize_header(c.header): c.key for c in COLUMNS}
