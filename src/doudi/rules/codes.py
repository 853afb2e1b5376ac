"""Rule and reason codes. Each is a bit in an Int64 mask column, so a million explanations cost two integers per
household; ``doudi.rules.explain`` turns them back into codes and Chinese sentences on demand.

Every text names the rule and its source (the national article; a locality's value is named in the explanation
line with its own document). Person-level codes (who is counted, why a person is or is not 特困) are strings in
the per-person output, with the same kind of text in ``PERSON_TEXT``.
"""

from __future__ import annotations

# Rules applied (``rules_mask``). Order is the bit position: append only, never reorder (stored decisions).
RULES: tuple[tuple[str, str], ...] = (
    ("HH_MEMBER_EXCLUDED", "部分成员不计入共同生活家庭成员（最低生活保障审核确认办法第七条）"),
    ("INCOME_KIND_EXCLUDED", "部分收入按规定不计入家庭收入（最低生活保障审核确认办法第十三条）"),
    ("EMPLOYMENT_COST_DEDUCTED", "就业成员扣减必要的就业成本（最低生活保障审核确认办法第十三条）"),
    ("RIGID_EXPENSE_DEDUCTED", "核算收入时扣减刚性支出（最低生活保障审核确认办法第十三条）"),
    ("DIBAO_WHOLE_HOUSEHOLD", "家庭人均收入低于低保标准且财产符合规定，按户施保（社会救助暂行办法第九条）"),
    ("DIBAO_GAP", "低保金按人均收入与低保标准的差额计算（最低生活保障审核确认办法第二十三条）"),
    ("DIBAO_TIERS", "低保金按分档标准计算（最低生活保障审核确认办法第二十三条）"),
    ("DIBAO_SINGLE_PERSON", "低保边缘家庭中的重残、重病成员参照单人户纳入低保（最低生活保障审核确认办法第八条）"),
    ("MARGIN", "人均收入低于低保标准的规定倍数，认定为低保边缘家庭（最低生活保障审核确认办法第八条）"),
    ("RIGID_DIFFICULTY",
     "刚性支出占家庭总收入比例超过当地规定，认定为刚性支出困难家庭（刚性支出困难家庭认定办法第四条）"),
    ("TEKUN", "无劳动能力、无生活来源、无法定义务人或义务人无履行能力，认定为特困人员（特困人员认定办法第四条）"),
    ("TEKUN_CARE", "按生活自理能力确定照料护理标准（特困人员认定办法第二十二条）"),
    ("GRACE", "因就业增收超过低保标准，给予渐退期（最低生活保障审核确认办法第三十三条）"),
    ("GRACE_EXCLUDED", "不纳入渐退期管理，停发低保金（最低生活保障审核确认办法第三十三条及当地规定）"),
    ("TEMP_EMERGENCY", "急难型临时救助，可先行救助（民发〔2018〕23号 二(二)）"),
    ("TEMP_EXPENDITURE", "支出型临时救助（民发〔2018〕23号 二(一)）"),
    ("TEMP_CASE_CONFERENCE", "超过标准上限或一事一议起点，须一事一议（民发〔2018〕23号 二(三)）"),
    ("MEDICAL_OUTPATIENT", "门诊慢特病医疗救助"),
    ("MEDICAL_INPATIENT", "住院医疗救助"),
    ("MEDICAL_CAP_REACHED", "医疗救助达到年度限额"),
    ("REVIEW_UNSTABLE", "收入不固定或有劳动能力成员，半年核查（最低生活保障审核确认办法第三十一条）"),
    # appended 2026-11 (issue 8)
    ("TEKUN_SPLIT", "特困人员单独救助供养，其余成员按低保审核（特困人员认定办法第四条；一人只享受一项基本生活救助）"),
    ("GRACE_CONTINUED", "渐退期已于此前开始，按原起始月和月数执行，不重新计算（最低生活保障审核确认办法第三十三条）"),
    ("GRACE_ENDED", "渐退期已届满，停发低保金（最低生活保障审核确认办法第三十三条）"),
    ("GRACE_MONTHS_ADJUSTED", "申请的渐退月数超出当地规定的区间，已按区间调整（当地渐退期规定）"),
)

# Reasons for ineligibility (``reasons_mask``).
REASONS: tuple[tuple[str, str], ...] = (
    ("NO_COUNTED_MEMBER", "没有计入的共同生活家庭成员（最低生活保障审核确认办法第七条）"),
    ("NO_STANDARD", "该日期没有有效的低保标准（社会救助暂行办法第十条）"),
    ("INCOME_NOT_BELOW_STANDARD", "家庭人均收入不低于低保标准（社会救助暂行办法第九条）"),
    ("PROPERTY_FINANCIAL", "人均金融资产超过规定（最低生活保障审核确认办法第十四条及当地财产标准）"),
    ("PROPERTY_VEHICLE", "拥有非豁免机动车辆超过规定（最低生活保障审核确认办法第十四条及当地财产标准）"),
    ("PROPERTY_REAL_ESTATE", "唯一住房以外另有房产（最低生活保障审核确认办法第十四条及当地财产标准）"),
    ("PROPERTY_BUSINESS", "有非豁免的工商登记（最低生活保障审核确认办法第十四条及当地财产标准）"),
    ("NOT_MARGIN", "人均收入不低于低保边缘标准（最低生活保障审核确认办法第八条）"),
    ("TEKUN_NO_TARGET", "无符合条件的老年人、残疾人或未成年人（特困人员认定办法第四条、第五条）"),
    ("TEKUN_HAS_INCOME", "本人收入不低于低保标准，不属于无生活来源（特困人员认定办法第六条）"),
    ("TEKUN_ABLE_SUPPORTER", "有具备履行能力的法定赡养、抚养、扶养义务人（特困人员认定办法第四条、第八条）"),
    ("RIGID_NOT_IN_FORCE", "该日期刚性支出困难认定未施行或未设比例（刚性支出困难家庭认定办法第四条）"),
    ("RIGID_INCOME_TOO_HIGH", "人均收入不低于上年度人均可支配收入（刚性支出困难家庭认定办法第四条）"),
    ("RIGID_RATIO_NOT_EXCEEDED", "刚性支出占比未超过当地规定（刚性支出困难家庭认定办法第四条）"),
    ("RIGID_OTHER_PROGRAM", "已属于低保、特困或低保边缘，不另行认定刚性支出困难（刚性支出困难家庭认定办法第四条）"),
    ("TEMP_INCOME_TOO_HIGH", "支出型临时救助：人均收入不低于上年度人均可支配收入（民发〔2018〕23号 二(一)）"),
    ("TEMP_NO_BAND", "当地未设该类临时救助标准，须一事一议（民发〔2018〕23号 二(三)）"),
    ("GRACE_NOT_EMPLOYMENT", "收入增加并非就业所致，不适用渐退（最低生活保障审核确认办法第三十三条）"),
    # appended 2026-11 (issue 8)
    ("DIBAO_ALL_TEKUN", "全部计入成员均已认定为特困人员，不再另行纳入低保（一人只享受一项基本生活救助）"),
)

RULE_BIT = {code: 1 << i for i, (code, _) in enumerate(RULES)}
REASON_BIT = {code: 1 << i for i, (code, _) in enumerate(REASONS)}
RULE_TEXT = dict(RULES)
REASON_TEXT = dict(REASONS)

# Per-person codes (strings in the per-person output).
NOT_COUNTED: tuple[tuple[str, str], ...] = (
    ("DECEASED", "已故，不计入家庭人口"),
    ("IMPRISONED", "服刑人员不计入家庭人口（最低生活保障审核确认办法第七条）"),
    ("COMPULSORY_REHAB", "强制隔离戒毒人员不计入家庭人口（最低生活保障审核确认办法第七条）"),
    ("DECLARED_MISSING", "宣告失踪人员不计入家庭人口（最低生活保障审核确认办法第七条）"),
    ("CLERGY_APART", "脱离家庭独立生活连续三年以上的宗教教职人员不计入家庭人口（最低生活保障审核确认办法第七条）"),
    ("NOT_CO_RESIDENT",
     "未长期共同居住的其他亲属（或能独立生活的成年子女）不计入家庭人口（最低生活保障审核确认办法第七条第四项）"),
)
TEKUN_PERSON: tuple[tuple[str, str], ...] = (
    ("TEKUN_NOT_COUNTED", "不是计入的共同生活家庭成员"),
    ("TEKUN_NO_TARGET", REASON_TEXT["TEKUN_NO_TARGET"].replace("无符合条件的", "不属于无劳动能力的")),
    ("NO_STANDARD", REASON_TEXT["NO_STANDARD"]),
    ("TEKUN_HAS_INCOME", REASON_TEXT["TEKUN_HAS_INCOME"]),
    ("TEKUN_PROPERTY", "家庭财产不符合规定，不属于无生活来源（特困人员认定办法第六条）"),
    ("TEKUN_ABLE_SUPPORTER", REASON_TEXT["TEKUN_ABLE_SUPPORTER"]),
)
NOT_COUNTED_CODES = tuple(c for c, _ in NOT_COUNTED)
TEKUN_PERSON_CODES = tuple(c for c, _ in TEKUN_PERSON)
PERSON_TEXT = {**dict(NOT_COUNTED), **dict(TEKUN_PERSON), "TEKUN": RULE_TEXT["TEKUN"]}


def decode(mask: int | None, table: tuple[tuple[str, str], ...]) -> list[str]:
    if not mask:
        return []
    return [code for i, (code, _) in enumerate(table) if mask >> i & 1]
