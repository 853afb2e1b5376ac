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
# Temporary-assistance severity (S6 §2(3): 分类分档 by type, degree and duration of the difficulty; [002] 二(三)).
TEMP_SEVERITY: dict[str, str] = {"general": "一般困难", "serious": "较重困难", "major": "重大困难"}

# Relationship of a member to the head of household (the registry's vocabulary; "self" = the head, older inputs),
# and of an obliged supporter to the person supported.
RELATIONSHIPS: dict[str, str] = {
    "head": "户主",
    "self": "本人（户主）",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女",
    "sibling": "兄弟姐妹",
    "child_in_law": "儿媳/女婿",
    "other": "其他",
}
# S1 Art 7 (1)–(3): spouse and children count whether or not they live together long-term (adult children only
# when they cannot live independently, incl. full-time students to bachelor level); others only when they do (4).
SPOUSE_OR_HEAD = ("head", "self", "spouse")
# Full-time study that makes an adult child "unable to live independently" (S1 Art 7 (3): 本科及以下).
COUNTED_STUDENT_LEVELS = ("primary", "junior", "senior_high", "secondary_vocational", "higher_vocational", "bachelor")
# Persons with an unconditional statutory duty of support (法定赡养、抚养、扶养义务人, S2 Art 4 (3)): spouses (民法典
# Art 1059), parents and children (Art 1067). Grandparents, grandchildren and siblings are obliged only when the
# parents or children are dead or unable (Art 1074–1075): not modelled (docs/engine.md, known simplifications).
OBLIGED_RELATIONSHIPS = ("spouse", "parent", "child")
ADULT_AGE = 18  # 民法典 Art 17: a minor has no duty to support (S2 Art 8 applies to adult obliged persons)

# S2 Art 22: care tier from the six self-care activities.
CARE_TIERS: dict[str, str] = {"able": "具备生活自理能力", "partial": "部分丧失生活自理能力",
                              "complete": "完全丧失生活自理能力"}

# The basic-living program that covers a person (one per person: 低保 or 特困, never both).
PROGRAMS: dict[str, str] = {"dibao": "最低生活保障（按户）", "dibao_single": "最低生活保障（单人户）",
                            "tekun": "特困人员救助供养"}

# Medical-assistance claims ([000] 三(三)1): kinds and the categories that set the rate and the annual cap.
MEDICAL_KINDS: dict[str, str] = {"outpatient_chronic": "门诊慢特病", "inpatient": "住院", "premium": "资助参保"}
MEDICAL_CATEGORIES: dict[str, str] = {"tekun": "特困人员", "dibao": "低保对象", "margin": "低保边缘家庭成员"}

# Special groups (national-rules §11): programs paid per person alongside the basic-living program.
SPECIAL_PROGRAMS: dict[str, str] = {"orphan": "孤儿、事实无人抚养儿童基本生活费",
                                    "disabled_living": "困难残疾人生活补贴",
                                    "disabled_care": "重度残疾人护理补贴"}
# Programs another program may exclude for the same person (profile ``special.<program>.excluded_with``).
EXCLUSIVE_PROGRAMS = ("dibao", "dibao_single", "tekun", *SPECIAL_PROGRAMS)
# A child's father's or mother's situation (national-rules §11.1; 民发〔2019〕62号): dead or declared missing makes an
# orphan when both are; the others (and, where the profile adds them, ``EXTRA_PARENT_STATUSES``) make a de-facto
# unsupported child together with the other parent's.
PARENT_STATUS: dict[str, str] = {
    "dead": "死亡", "missing": "宣告失踪", "severe_disability": "重度残疾", "serious_illness": "重病",
    "detained": "服刑在押、强制隔离戒毒或被执行其他限制人身自由措施", "no_contact": "失联",
    "guardianship_revoked": "被撤销监护资格", "deported": "被遣送（驱逐）出境",
}
ORPHAN_PARENT_STATUS = ("dead", "missing")
UNSUPPORTED_PARENT_STATUS = ("severe_disability", "serious_illness", "detained", "no_contact")
EXTRA_PARENT_STATUSES = ("guardianship_revoked", "deported")
# 民发〔2019〕62号: after 18 the allowance continues in full-time schooling up to undergraduate (not postgraduate).
UNSUPPORTED_SCHOOL_LEVELS = ("primary", "junior", "senior_high", "secondary_vocational", "higher_vocational",
                             "bachelor")
