"""The value types and the table of every profile key (docs/policy-profiles.md lists the same keys).

Money is written in yuan and becomes integer fen; ratios become basis points; each key has a converter and a Chinese
description. ``loader.validate_value`` applies them to file entries and admin rows alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from doudi.rules import monitoring as _monitoring
from doudi.rules.kinds import (
    DISABILITY_TYPES,
    EXCLUSIVE_PROGRAMS,
    EXPENSE_KINDS,
    EXTRA_PARENT_STATUSES,
    INCOME_KINDS,
    MEDICAL_CATEGORIES,
    MEDICAL_KINDS,
    RISE_REASONS,
    SPECIAL_PROGRAMS,
    TEMP_CAUSES,
    TEMP_SEVERITY,
    TEMP_TYPES,
    WORK_ABILITY,
)
from doudi.rules.params import BP
from doudi.rules.procedure import NOT_ENGINE_PREFIXES, PROCEDURE_KEYS


class Bad(Exception):
    """A value that does not fit its key's type (the message says why, in Chinese)."""


def _yuan(v: Any) -> int:
    # Money arrives in yuan (readable for policy officers) and becomes integer fen. A YAML float is refused:
    # write "900.50" as a string so no binary fraction ever enters the computation.
    if isinstance(v, bool) or isinstance(v, float):
        raise Bad("金额须为整数或带引号的小数（如 \"900.50\"），不能是浮点数")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise Bad(f"“{v}”不是有效金额") from None
    if d < 0 or d.as_tuple().exponent < -2:
        raise Bad(f"“{v}”不是有效金额（非负，最多两位小数）")
    return int(d * 100)


def _yuan_or_none(v: Any) -> int | None:
    return None if v is None else _yuan(v)


def _ratio(v: Any) -> int:
    # Ratios/multiples are stored as basis points; str() of a YAML float like 1.3 is exact enough ("1.3").
    if isinstance(v, bool):
        raise Bad("比例须为数字")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise Bad(f"“{v}”不是有效比例") from None
    bp = d * BP
    if d < 0 or bp != bp.to_integral_value():
        raise Bad(f"“{v}”不是有效比例（非负，最多四位小数）")
    return int(bp)


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise Bad(f"“{v}”须为非负整数")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise Bad(f"“{v}”须为 true 或 false")
    return v


def _choice(*options: str) -> Callable[[Any], str]:
    def conv(v: Any) -> str:
        if v not in options:
            raise Bad(f"“{v}”不在可选值 {', '.join(options)} 中")
        return v

    return conv


def _kinds(allowed: Iterable[str]) -> Callable[[Any], tuple[str, ...]]:
    allowed = tuple(allowed)

    def conv(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list):
            raise Bad("须为列表")
        bad = [x for x in v if x not in allowed]
        if bad:
            raise Bad(f"未知类别 {', '.join(map(str, bad))}（可选：{', '.join(allowed)}）")
        return tuple(v)

    return conv


def _record(v: Any, fields: dict[str, Callable[[Any], Any]], required: Iterable[str]) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise Bad("须为映射")
    unknown = set(v) - set(fields)
    if unknown:
        raise Bad(f"未知字段 {', '.join(sorted(unknown))}")
    missing = [f for f in required if f not in v]
    if missing:
        raise Bad(f"缺少字段 {', '.join(missing)}")
    return {k: fields[k](x) for k, x in v.items()}


def _tiers(v: Any) -> tuple[tuple[int, int], ...]:
    # 分档 ([000] 三(二)1): a household whose per-capita income is below `below` × standard gets `pay` × standard
    # per counted member. Tiers are checked from the lowest `below` upwards.
    if not isinstance(v, list) or not v:
        raise Bad("须为非空列表")
    rows = [_record(x, {"below": _ratio, "pay": _ratio}, ("below", "pay")) for x in v]
    return tuple(sorted((r["below"], r["pay"]) for r in rows))


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise Bad("须为非空文字")
    return v


def _bands(v: Any) -> tuple[tuple[tuple[str, Any], ...], ...]:
    # 临时救助 bands (S6 §2(3) 分类分档, linked to the 低保 standard). A band may carry its own provenance (``source``
    # or ``illustrative`` + ``note``) when one value mixes sourced and illustrative bands.
    if not isinstance(v, list) or not v:
        raise Bad("须为非空列表")
    fields = {
        "type": _choice("any", *TEMP_TYPES),
        "cause": _choice("any", *TEMP_CAUSES),
        "severity": _choice("any", *TEMP_SEVERITY),
        "min_multiple": _ratio,
        "max_multiple": _ratio,
        "base": _choice("standard", "urban_standard"),
        "per_person": _bool,
        "source": _text,
        "illustrative": _bool,
        "note": _text,
    }
    out = []
    for x in v:
        r = _record(x, fields, ("min_multiple", "max_multiple"))
        for k, default in (("type", "any"), ("cause", "any"), ("severity", "any"), ("base", "standard"),
                           ("per_person", True)):
            r.setdefault(k, default)
        if r["min_multiple"] > r["max_multiple"]:
            raise Bad("min_multiple 大于 max_multiple")
        if r.get("illustrative") and not r.get("note"):
            raise Bad("示意档次须附 note 说明")
        out.append(tuple(sorted(r.items())))
    return tuple(out)


_MEDICAL = {
    f"medical.{kind}.{cat}.{f}": (_ratio if f == "rate" else _yuan_or_none, desc)
    for kind, kdesc in MEDICAL_KINDS.items()
    for cat, cdesc in MEDICAL_CATEGORIES.items()
    for f, desc in (("rate", f"{kdesc}自付合规费用救助比例（{cdesc}）" if kind != "premium"
                     else f"资助参加城乡居民医保个人缴费的比例（{cdesc}）"),
                    ("cap", f"{kdesc}年度救助限额，元/人（{cdesc}，空=不封顶）"))
}

# key -> (converter, Chinese description). docs/policy-profiles.md documents the same table.
KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "dibao.standard.urban": (_yuan, "城市低保标准，元/人·月"),
    "dibao.standard.rural": (_yuan, "农村低保标准，元/人·月"),
    "dibao.amount_method": (_choice("gap", "tiers"), "低保金计算方式：差额 gap / 分档 tiers"),
    "dibao.tiers": (_tiers, "分档：人均收入低于标准的 below 倍时，每人按标准的 pay 倍发放"),
    "dibao.employment_cost.method": (_choice("none", "fixed", "min_wage_share"), "就业成本扣减方式"),
    "dibao.employment_cost.fixed": (_yuan, "每名就业成员扣减的就业成本，元/月"),
    "dibao.employment_cost.min_wage_share": (_ratio, "每名就业成员按最低工资的比例扣减"),
    "dibao.rigid_expense_deduction": (_kinds(EXPENSE_KINDS), "核算收入时扣减的刚性支出类别"),
    "dibao.single_person.enabled": (_bool, "低保边缘家庭重残重病成员可参照单人户纳入低保"),
    "dibao.property.financial_method": (_choice("months", "per_person"),
                                        "人均金融资产上限的写法：months 低保月标准 × 月数 / per_person 每人定额"),
    "dibao.property.financial_months": (_int, "人均金融资产上限 = 低保月标准 × 月数"),
    "dibao.property.financial_per_person": (_yuan, "人均金融资产上限，元/人（financial_method 为 per_person 时）"),
    "dibao.property.max_vehicles": (_int, "非豁免机动车辆上限（辆）"),
    "dibao.property.max_vehicle_value": (_yuan_or_none, "非豁免机动车辆总价值上限，元（空=不限）"),
    "dibao.property.max_extra_real_estate": (_int, "唯一住房以外房产套数上限"),
    "dibao.property.max_business_registrations": (_int, "工商登记（非豁免）数量上限"),
    "income.excluded_kinds": (_kinds(INCOME_KINDS), "低保收入核算不计入的收入类别"),
    "tekun.excluded_kinds": (_kinds(INCOME_KINDS), "特困“无生活来源”认定不计入的收入类别"),
    "margin.multiple": (_ratio, "低保边缘：人均收入低于低保标准的倍数"),
    "rigid.ratio_threshold": (_ratio, "刚性支出困难：12个月刚性支出占家庭总收入比例的本地门槛"),
    "rigid.validity_months": (_int, "刚性支出困难家庭认定有效期，月"),
    "prior_year_disposable_income.urban": (_yuan, "上年度城镇居民人均可支配收入，元/年"),
    "prior_year_disposable_income.rural": (_yuan, "上年度农村居民人均可支配收入，元/年"),
    "min_wage.monthly": (_yuan, "月最低工资标准，元"),
    "tekun.basic_multiple.urban": (_ratio, "城市特困人员基本生活标准 = 基数 × 倍数"),
    "tekun.basic_multiple.rural": (_ratio, "农村特困人员基本生活标准 = 基数 × 倍数"),
    "tekun.basic_base.urban": (_choice("own", "urban"),
                               "城市特困基本生活标准的基数：own 本地区城乡标准 / urban 城市标准"),
    "tekun.basic_base.rural": (_choice("own", "urban"), "农村特困基本生活标准的基数"),
    "tekun.care_share.complete": (_ratio, "完全丧失生活自理能力照料护理标准：上年度月最低工资的比例"),
    "tekun.care_share.partial": (_ratio, "部分丧失生活自理能力照料护理标准"),
    "tekun.care_share.able": (_ratio, "具备生活自理能力照料护理标准"),
    "tekun.minor_age": (_int, "特困未成年人救助供养至周岁"),
    "tekun.school_extension": (_bool, "年满上述年龄仍在义务教育/普通高中/中职就读的继续供养"),
    "tekun.supporter_dibao_age": (_int, "义务人为低保对象且年满该岁数视为无履行能力"),
    "tekun.supporter_elderly_age": (_int, "义务人年满该岁数且收入低于上年人均可支配收入视为无履行能力"),
    "tekun.supporter_unable_work_ability": (_kinds(WORK_ABILITY),
                                            "义务人劳动能力为所列等级、收入低于上年人均可支配收入且财产符合规定时视为无履行能力"),
    "labour.min_age": (_int, "劳动年龄下限（周岁）：未满此年龄视为无劳动能力"),
    "labour.max_age": (_int, "劳动年龄上限（周岁）：年满此年龄视为无劳动能力（特困人员中的老年人）"),
    "labour.partial_is_able": (_bool, "经评定部分丧失劳动能力者视为有劳动能力"),
    "grace.months": (_int, "渐退期（月），就业增收超过标准时"),
    "grace.min_months": (_int, "渐退期下限（月），县级可在区间内确定"),
    "grace.max_months": (_int, "渐退期上限（月）"),
    "grace.special_max_months": (_int, "特殊情况渐退期上限（月）"),
    "grace.registered_poor_months": (_int, "建档立卡贫困户保留低保待遇月数"),
    "grace.excluded_reasons": (_kinds(RISE_REASONS), "不纳入渐退期管理的情形"),
    "adjustment.second_approval_above": (_yuan, "调整月救助金额幅度超过此数须第二名审批人确认（双人审核），元"),
    "temporary.bands": (_bands, "临时救助分类分档标准"),
    "temporary.township_limit": (_yuan, "乡镇（街道）临时救助审批额度，元/次"),
    "temporary.case_conference_above": (_yuan, "临时救助金额超过此数须一事一议并附会议纪要，元/次"),
    "temporary.township_reserve_min": (_yuan, "乡镇临时救助备用金最低额，元"),
    "temporary.emergency_payment_hours": (_int, "急难型先行救助时限，小时"),
    **_MEDICAL,
    "review.months.tekun": (_int, "特困人员核查周期，月"),
    "review.months.special": (_int, "孤儿、事实无人抚养儿童和残疾人两项补贴对象核查周期，月"),
    # special groups (rules.special; national-rules §11): standards are provincial, so the national profile sets none
    "special.child.max_age": (_int, "孤儿、事实无人抚养儿童基本生活费发放至周岁（当月止）"),
    "special.orphan.standard": (_yuan, "孤儿基本生活费（社会散居），元/人·月"),
    "special.unsupported_child.standard": (_yuan, "事实无人抚养儿童基本生活补贴，元/人·月"),
    "special.unsupported_child.school_extension": (_bool,
                                                   "年满上述年龄仍全日制就读（至本科）的事实无人抚养儿童继续发放"),
    "special.unsupported_child.extra_parent_statuses": (_kinds(EXTRA_PARENT_STATUSES),
                                                        "本地增列的父母情形（被撤销监护资格、被遣送出境）"),
    "special.disabled_living.standard": (_yuan, "困难残疾人生活补贴，元/人·月"),
    "special.disabled_living.categories": (_kinds(MEDICAL_CATEGORIES),
                                           "享受困难残疾人生活补贴的家庭类别：dibao 低保、tekun 特困、margin 低保边缘"),
    "special.disabled_care.standard.severe": (_yuan, "重度残疾人护理补贴（一、二级），元/人·月"),
    "special.disabled_care.standard.extended": (_yuan, "护理补贴扩面（三、四级所列类别），元/人·月"),
    "special.disabled_care.extended_types": (_kinds(DISABILITY_TYPES), "护理补贴扩大至三、四级的残疾类别"),
    **{f"special.{p}.excluded_with": (_kinds(EXCLUSIVE_PROGRAMS), "同一人不得同时享受的项目")
       for p in SPECIAL_PROGRAMS},
    "review.months.stable": (_int, "收入稳定低保家庭核查周期，月"),
    "review.months.unstable": (_int, "收入不固定或有劳动能力成员的低保家庭核查周期，月"),
    "price_linkage.cpi_trigger": (_ratio, "物价联动启动条件：居民消费价格指数（CPI）同比涨幅达到"),
    "price_linkage.food_cpi_trigger": (_ratio, "物价联动启动条件：CPI 中食品价格同比涨幅达到"),
    "funds.purchased_services_cap": (_ratio, "政府购买社会救助服务经费上限：占上年困难群众救助补助资金的比例"),
    "funds.social_org_share_min": (_ratio, "政府新增购买服务中向社会组织购买的最低比例"),
    **{k: (_ratio if unit == "ratio" else _int, desc) for k, (unit, desc) in PROCEDURE_KEYS.items()},
}


# ---------------------------------------------------------------- monitoring warning rules (动态监测预警)
# One key per warning rule, ``monitoring.rule.<code>``, so a locality adds or tunes a rule in its profile without
# code. The rule vocabulary (kinds, feeds, categories) is ``doudi.rules.monitoring``. These keys are not engine
# parameters: ``Profile.params_as_of`` leaves them out, so tuning a warning never changes a decision's version.
def _monitoring_rule(v: Any) -> dict[str, Any]:
    try:
        return _monitoring.parse_rule(v)
    except _monitoring.RuleError as e:
        raise Bad(str(e)) from None


MONITORING_KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "monitoring.report.deadline_days": (_int, "村（社区）主动发现上报后乡镇确认处置时限（工作日）"),
}


# ---------------------------------------------------------------- care and services (特困供养、探访关爱、3+1 监管)
# Read by doudi.care; like the monitoring keys they are not engine parameters (``NON_ENGINE_PREFIXES``), so a new
# visiting interval never changes a decision's policy version.
_VISIT_GROUPS = ("dispersed_tekun", "elderly_alone", "left_behind_child", "left_behind_elderly", "severe_disabled")
_CHECK_LEVELS = ("county", "township", "village", "third_party")
CARE_KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    **{f"care.visit_days.{g}": (_int, "探访关爱周期（天）：距上次探访超过此天数即为逾期") for g in _VISIT_GROUPS},
    **{f"care.visit_rate_target.{g}": (_ratio, "探访率目标：周期内已探访对象占全部对象的比例") for g in _VISIT_GROUPS},
    "care.assessment_months": (_int, "特困人员生活自理能力评估周期（月）"),
    **{f"care.supervision_days.{lv}": (_int, "照护机构“3+1”监管：该层级两次检查的最长间隔（天）")
       for lv in _CHECK_LEVELS},
    "care.target.nursing_bed_share": (_ratio, "供养服务机构护理型床位占比目标"),
    "care.target.disabled_centralised_share": (_ratio, "失能、半失能特困人员集中供养率目标"),
}
# ---------------------------------------------------------------- performance evaluation (绩效评价)
# Read by doudi.reports: each indicator's weight in a township's or county's score; not engine parameters.


def gettext_noop(text: str) -> str:
    """Marks a name for the translation catalogue (makemessages reads the name) without importing Django here:
    the Chinese text is kept, and the screen that shows it translates it."""
    return text


EVALUATION_INDICATORS = {
    "case_timeliness": gettext_noop("审核确认按时办结率（在办理总时限内作出决定的比例）"),
    "visit_rate": gettext_noop("探访关爱按期探访率"),
    "hotline_timeliness": gettext_noop("热线工单按时办结率（投诉、举报、求助、咨询）"),
    "inspection_accuracy": gettext_noop("双随机抽查准确率（未发现问题的比例）"),
}
EVALUATION_KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    f"evaluation.weight.{k}": (_ratio, f"绩效评价权重：{desc}") for k, desc in EVALUATION_INDICATORS.items()
}
NON_ENGINE_PREFIXES = ("monitoring.", "care.", "evaluation.", *NOT_ENGINE_PREFIXES)


def key_spec(key: str) -> tuple[Callable[[Any], Any], str] | None:
    """(converter, description) of a parameter key, or None for an unknown key."""
    if key in KEYS:
        return KEYS[key]
    if key in MONITORING_KEYS:
        return MONITORING_KEYS[key]
    if key in CARE_KEYS:
        return CARE_KEYS[key]
    if key in EVALUATION_KEYS:
        return EVALUATION_KEYS[key]
    if _monitoring.is_rule_key(key):
        return (_monitoring_rule, "动态监测预警规则")
    return None
