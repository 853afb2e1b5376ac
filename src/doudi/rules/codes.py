"""Rule and reason codes. Each is a bit in an Int64 mask column, so a million explanations cost two integers per
household; ``doudi.rules.explain`` turns them back into codes and Chinese sentences on demand."""

from __future__ import annotations

# Rules applied (``rules_mask``). Order is the bit position: append only, never reorder (stored decisions).
RULES: tuple[tuple[str, str], ...] = (
    ("HH_MEMBER_EXCLUDED", "服刑、强制隔离戒毒、宣告失踪或脱离家庭满三年的宗教教职人员不计入共同生活家庭成员"),
    ("INCOME_KIND_EXCLUDED", "部分收入按规定不计入家庭收入"),
    ("EMPLOYMENT_COST_DEDUCTED", "就业成员扣减必要的就业成本"),
    ("RIGID_EXPENSE_DEDUCTED", "核算收入时扣减刚性支出"),
    ("DIBAO_WHOLE_HOUSEHOLD", "家庭人均收入低于低保标准且财产符合规定，按户施保"),
    ("DIBAO_GAP", "低保金按人均收入与低保标准的差额计算"),
    ("DIBAO_TIERS", "低保金按分档标准计算"),
    ("DIBAO_SINGLE_PERSON", "低保边缘家庭中的重残、重病成员参照单人户纳入低保"),
    ("MARGIN", "人均收入低于低保标准的规定倍数，认定为低保边缘家庭"),
    ("RIGID_DIFFICULTY", "刚性支出占家庭总收入比例超过当地规定，认定为刚性支出困难家庭"),
    ("TEKUN", "无劳动能力、无生活来源、无法定义务人或义务人无履行能力，认定为特困人员"),
    ("TEKUN_CARE", "按生活自理能力确定照料护理标准"),
    ("GRACE", "因就业增收超过低保标准，给予渐退期"),
    ("GRACE_EXCLUDED", "不纳入渐退期管理，停发低保金"),
    ("TEMP_EMERGENCY", "急难型临时救助，可先行救助"),
    ("TEMP_EXPENDITURE", "支出型临时救助"),
    ("TEMP_CASE_CONFERENCE", "申请金额超过标准上限，须一事一议"),
    ("MEDICAL_OUTPATIENT", "门诊慢特病医疗救助"),
    ("MEDICAL_INPATIENT", "住院医疗救助"),
    ("MEDICAL_CAP_REACHED", "医疗救助达到年度限额"),
    ("REVIEW_UNSTABLE", "收入不固定或有劳动能力成员，半年核查"),
)

# Reasons for ineligibility (``reasons_mask``).
REASONS: tuple[tuple[str, str], ...] = (
    ("NO_COUNTED_MEMBER", "没有计入的共同生活家庭成员"),
    ("NO_STANDARD", "该日期没有有效的低保标准"),
    ("INCOME_NOT_BELOW_STANDARD", "家庭人均收入不低于低保标准"),
    ("PROPERTY_FINANCIAL", "人均金融资产超过规定"),
    ("PROPERTY_VEHICLE", "拥有非豁免机动车辆超过规定"),
    ("PROPERTY_REAL_ESTATE", "唯一住房以外另有房产"),
    ("PROPERTY_BUSINESS", "有非豁免的工商登记"),
    ("NOT_MARGIN", "人均收入不低于低保边缘标准"),
    ("TEKUN_NO_TARGET", "无符合条件的老年人、残疾人或未成年人"),
    ("TEKUN_HAS_INCOME", "本人收入不低于低保标准，不属于无生活来源"),
    ("TEKUN_ABLE_SUPPORTER", "有具备履行能力的法定赡养、抚养、扶养义务人"),
    ("RIGID_NOT_IN_FORCE", "该日期刚性支出困难认定未施行或未设比例"),
    ("RIGID_INCOME_TOO_HIGH", "人均收入不低于上年度人均可支配收入"),
    ("RIGID_RATIO_NOT_EXCEEDED", "刚性支出占比未超过当地规定"),
    ("RIGID_OTHER_PROGRAM", "已属于低保、特困或低保边缘，不另行认定刚性支出困难"),
    ("TEMP_INCOME_TOO_HIGH", "支出型临时救助：人均收入不低于上年度人均可支配收入"),
    ("TEMP_NO_BAND", "当地未设该类临时救助标准，须一事一议"),
    ("GRACE_NOT_EMPLOYMENT", "收入增加并非就业所致，不适用渐退"),
)

RULE_BIT = {code: 1 << i for i, (code, _) in enumerate(RULES)}
REASON_BIT = {code: 1 << i for i, (code, _) in enumerate(REASONS)}
RULE_TEXT = dict(RULES)
REASON_TEXT = dict(REASONS)


def decode(mask: int | None, table: tuple[tuple[str, str], ...]) -> list[str]:
    if not mask:
        return []
    return [code for i, (code, _) in enumerate(table) if mask >> i & 1]
