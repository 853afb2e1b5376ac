"""Closed vocabularies shared by the input schema, the engine and the policy-profile validator."""

from __future__ import annotations

# Monthly income kinds (S1 Art 13; S2 Art 6-7). Every member's ``income`` object uses these keys, in fen.
INCOME_KINDS: dict[str, str] = {
    "wage": "工资性收入",
    "business": "经营净收入",
    "property": "财产净收入",
    "maintenance": "赡养/抚养/扶养费",
    "pension": "养老金、退休金（基础养老金以外）",
    "basic_pension": "城乡居民基本养老保险基础养老金",
    "unemployment": "失业保险金",
    "preferential": "优待抚恤金",
    "family_planning": "计划生育奖励与扶助金",
    "scholarship": "奖学金",
    "reward": "见义勇为等奖励性补助",
    "assistance": "政府发放的社会救助款物",
    "old_age_allowance": "高龄津贴",
    "other": "其他收入",
}
# Income that comes from work: the employment-cost deduction is capped at it (S1 Art 13, "必要的就业成本").
EARNED_KINDS = ("wage", "business")

# Monthly rigid expenses (S1 Art 13 last ¶; S8 Art 5; [002] 二(一); [001] 12).
EXPENSE_KINDS: dict[str, str] = {
    "medical": "因病医疗自付支出",
    "disability": "因残康复支出",
    "education": "因学教育支出",
    "care": "家庭照护成本",
    "employment": "就业成本（票据）",
}

DISABILITY_TYPES: dict[str, str] = {
    "physical": "肢体",
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "intellectual": "智力",
    "mental": "精神",
    "multiple": "多重",
}

SCHOOL_LEVELS: dict[str, str] = {
    "preschool": "学前教育",
    "primary": "小学",
    "junior": "初中",
    "senior_high": "普通高中",
    "secondary_vocational": "中等职业学校",
    "higher_vocational": "高职/大专",
    "bachelor": "本科",
    "postgraduate": "研究生",
}
# S2 Art 24: after 18, 特困 support continues while in compulsory education, senior high or secondary vocational school.
TEKUN_SCHOOL_LEVELS = ("primary", "junior", "senior_high", "secondary_vocational")

WORK_ABILITY = ("full", "partial", "none")

# Why a 低保 household's income rose ([000] 三(三)4; S1 Art 33).
RISE_REASONS: dict[str, str] = {
    "employment": "家庭成员就业创业",
    "death": "救助对象去世",
    "voluntary_exit": "自愿退出",
    "land_compensation": "征地补偿",
    "concealment": "瞒报、虚报、谎报收入财产",
    "other": "其他原因",
}

TEMP_TYPES: dict[str, str] = {"emergency": "急难型", "expenditure": "支出型"}
TEMP_CAUSES: dict[str, str] = {
    "serious_illness": "重特大疾病",
    "education": "子女教育费用",
    "accident": "火灾、交通事故等意外事件",
    "disaster": "自然灾害",
    "other": "其他特殊困难",
}
