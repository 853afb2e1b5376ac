"""Render a result row as Chinese sentences, naming each parameter with its date and source (or 示意值)."""

from __future__ import annotations

from typing import Any

from doudi.rules.codes import REASON_TEXT, REASONS, RULE_TEXT, RULES, decode
from doudi.rules.exprs import month_label
from doudi.rules.params import Params

APPROVAL = {"township": "乡镇（街道）审批", "county": "县级审批",
            "county_case_conference": "须经一事一议（县级困难群众基本生活保障协调机制）审批并附会议纪要"}
MEDICAL = {"tekun": "特困人员", "dibao": "低保对象", "margin": "低保边缘家庭成员"}


def yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def rule_codes(row: dict[str, Any]) -> list[str]:
    return decode(row.get("rules_mask"), RULES)


def reason_codes(row: dict[str, Any]) -> list[str]:
    return decode(row.get("reasons_mask"), REASONS)


def explain(row: dict[str, Any], params: Params) -> list[str]:
    """Human-readable explanation of one household's result (list of Chinese lines)."""
    p = params
    rules, reasons = set(rule_codes(row)), set(reason_codes(row))
    out = [f"政策配置：{p.title or p.profile}，评估日期 {p.as_of.isoformat()}，参数版本 {p.version()}"]
    out += _household(row, p, rules)
    out += _dibao(row, p, rules, reasons)
    out += _tekun(row, p, rules, reasons)
    if "RIGID_DIFFICULTY" in rules:
        out.append(f"✓ 刚性支出困难家庭：有效期 {row['rigid_valid_months']} 个月（{p.label('rigid.ratio_threshold')}）")
    out += _grace(row, p, rules)
    out += _temporary(row, p)
    out += _medical(row, p, rules)
    if row.get("review_months"):
        out.append(f"核查周期：每 {row['review_months']} 个月核查一次")
    if not (row["dibao_eligible"] or row["tekun_eligible"] or row["margin"] or row["rigid_difficulty"]):
        why = [REASON_TEXT[c] for c in reason_codes(row)
               if c not in ("RIGID_NOT_IN_FORCE", "TEMP_INCOME_TOO_HIGH", "TEMP_NO_BAND")]
        out.append("不符合低保、特困、低保边缘、刚性支出困难认定：" + "；".join(why))
    return out


def _household(row: dict[str, Any], p: Params, rules: set[str]) -> list[str]:
    line = f"共同生活家庭成员计入 {row['n']} 人"
    if row["n_excluded"]:
        line += f"，不计入 {row['n_excluded']} 人（{RULE_TEXT['HH_MEMBER_EXCLUDED']}）"
    out = [line, f"家庭月收入（计入部分）{yuan(row['gross'])} 元"]
    if "INCOME_KIND_EXCLUDED" in rules:
        out.append(f"不计入收入 {yuan(row['excl_income'])} 元（{p.label('income.excluded_kinds')}）")
    if "EMPLOYMENT_COST_DEDUCTED" in rules:
        out.append(f"扣减就业成本 {yuan(row['emp_ded'])} 元（{p.label('dibao.employment_cost.method')}）")
    if "RIGID_EXPENSE_DEDUCTED" in rules:
        out.append(f"扣减刚性支出 {yuan(row['rigid_ded'])} 元（{p.label('dibao.rigid_expense_deduction')}）")
    return out


def _dibao(row: dict[str, Any], p: Params, rules: set[str], reasons: set[str]) -> list[str]:
    urban = row["is_urban"]
    std_label = f"{'城市' if urban else '农村'}低保标准 {yuan(row['std'])} 元" \
                f"（{p.label('dibao.standard.urban' if urban else 'dibao.standard.rural')}）"
    out = []
    if "TEKUN_SPLIT" in rules:
        out.append(f"特困人员 {row['tekun_persons']} 人单独救助供养，其余 {row['n_db']} 人按低保审核（一人只享受"
                   f"一项基本生活救助），其可计算收入合计 {yuan(row['countable_db'])} 元")
    if "NO_STANDARD" in reasons:
        out.append(f"✗ {REASON_TEXT['NO_STANDARD']}")
    elif "DIBAO_ALL_TEKUN" in reasons:
        out.append(f"低保：{REASON_TEXT['DIBAO_ALL_TEKUN']}")
    elif row["n_db"]:
        n, cnt, thr = row["n_db"], row["countable_db"], row["threshold_db"]
        verdict = ("符合低保收入条件" if cnt < thr else
                   "不符合低保条件（恰好等于标准不属于低于标准）" if cnt == thr else "不符合低保收入条件")
        per_capita = (2 * cnt + n) // (2 * n)
        out.append(f"家庭月人均可计算收入 {yuan(per_capita)} 元（合计 {yuan(cnt)} 元）{' <' if cnt < thr else ' ≥'} "
                   f"{std_label} × {n} 人 = {yuan(thr)} 元 → {verdict}")
    for code in ("PROPERTY_FINANCIAL", "PROPERTY_VEHICLE", "PROPERTY_REAL_ESTATE", "PROPERTY_BUSINESS"):
        if code in reasons:
            key = ("dibao.property.financial_per_person" if p.get("dibao.property.financial_method") == "per_person"
                   else "dibao.property.financial_months")
            out.append(f"✗ 财产：{REASON_TEXT[code]}（{p.label(key)}）")
    if "DIBAO_WHOLE_HOUSEHOLD" in rules:
        how = "分档" if "DIBAO_TIERS" in rules else "差额"
        src = p.label("dibao.amount_method") if how == "差额" else p.label("dibao.tiers")
        out.append(f"✓ 低保：按户施保 {row['dibao_persons']} 人，{how}计算月低保金 {yuan(row['dibao_amount'])} 元"
                   f"（{src}；四舍五入到元），自确认同意次月起发放")
    if "MARGIN" in rules:
        out.append(f"✓ 低保边缘家庭：人均收入低于低保标准的 {p['margin.multiple'] / 10000:g} 倍"
                   f"（{p.label('margin.multiple')}）")
    if "DIBAO_SINGLE_PERSON" in rules:
        out.append(f"✓ 单人户：{row['dibao_persons']} 名重残/重病成员参照单人户纳入低保，月低保金合计"
                   f" {yuan(row['dibao_amount'])} 元（{p.label('dibao.single_person.enabled')}）")
    return out


def _tekun(row: dict[str, Any], p: Params, rules: set[str], reasons: set[str]) -> list[str]:
    """The 特困 outcome is stated whenever a member is in the target group, also when 低保 is granted."""
    out = []
    if "TEKUN" in rules:
        key = f"tekun.basic_multiple.{'urban' if row['is_urban'] else 'rural'}"
        out.append(f"✓ 特困人员 {row['tekun_persons']} 人：基本生活标准合计 {yuan(row['tekun_basic'])} 元/月"
                   f"（低保标准 × {p[key] / 10000:g}，{p.label(key)}）")
        if "TEKUN_CARE" in rules:
            parts = [f"{k} {row[c]} 人" for k, c in (("完全丧失", "tk_c"), ("部分丧失", "tk_p"), ("具备自理", "tk_a"))
                     if row[c]]
            out.append(f"  照料护理标准合计 {yuan(row['tekun_care'])} 元/月（{'，'.join(parts)}；"
                       f"上年度月最低工资 {yuan(p.get('min_wage.prior_year_monthly'))} 元，"
                       f"{p.label('min_wage.prior_year_monthly')}；比例 {p.label('tekun.care_share.partial')}）")
    others = row["tk_target_n"] - row["tekun_persons"]
    if row["tk_target_n"] and others:
        why = []
        with_income = row["tk_target_n"] - row["tk_income_ok_n"]
        if with_income:
            why.append(f"{with_income} 人本人收入不低于低保标准（特困人员认定办法第六条）")
        if not row["property_ok"]:
            why.append("家庭财产不符合规定（特困人员认定办法第六条）")
        if row["tk_sup_blocked_n"]:
            why.append(f"{row['tk_sup_blocked_n']} 人有具备履行能力的法定赡养、抚养、扶养义务人（特困人员认定办法"
                       f"第四条、第八条；{p.label('tekun.supporter_elderly_age')}）")
        out.append(f"✗ 特困：{others} 名老年人、残疾人或未成年人不符合特困人员条件（" + "；".join(why) + "）")
    elif not row["tk_target_n"] and row["n"]:
        out.append(f"特困：{REASON_TEXT['TEKUN_NO_TARGET']}")
    return out


def _grace(row: dict[str, Any], p: Params, rules: set[str]) -> list[str]:
    out = []
    start, last = month_label(row["grace_start"]), month_label(row["grace_last_month"])
    if "GRACE" in rules:
        kept = "（渐退期此前已开始，不重新计算）" if "GRACE_CONTINUED" in rules else ""
        out.append(f"✓ 渐退：自 {start} 起继续按原标准 {yuan(row['grace_amount'])} 元/月发放 "
                   f"{row['grace_months']} 个月，至 {last}（尚余 {row['grace_remaining']} 个月），之后停发并书面告知"
                   f"{kept}（{p.label('grace.months')}）")
    if "GRACE_ENDED" in rules:
        out.append(f"✗ {RULE_TEXT['GRACE_ENDED']}：自 {start} 起 {row['grace_months']} 个月，已于 {last} 届满")
    if "GRACE_MONTHS_ADJUSTED" in rules:
        out.append(f"  {RULE_TEXT['GRACE_MONTHS_ADJUSTED']}（{p.label('grace.max_months')}）")
    if "GRACE_EXCLUDED" in rules:
        out.append(f"✗ {RULE_TEXT['GRACE_EXCLUDED']}（{p.label('grace.excluded_reasons')}）")
    return out


def _temporary(row: dict[str, Any], p: Params) -> list[str]:
    if not row.get("temp_type"):
        return []
    kind = "急难型" if row["temp_type"] == "emergency" else "支出型"
    if not row["temp_eligible"]:
        return [f"✗ {kind}临时救助：{REASON_TEXT['TEMP_INCOME_TOO_HIGH']}"
                f"（{p.label('prior_year_disposable_income.urban')}）"]
    rng = (f"可救助 {yuan(row['temp_min'])}–{yuan(row['temp_max'])} 元（{band_label(p, row['temp_band'])}）"
           if row["temp_max"] is not None else "当地未设该类标准")
    out = [f"✓ {kind}临时救助：{rng}；拟救助 {yuan(row['temp_amount'])} 元；{APPROVAL.get(row['temp_approval'], '')}"]
    if row.get("temp_pay_within_hours"):
        out.append(f"  急难型先行救助，{row['temp_pay_within_hours']} 小时内发放"
                   f"（{p.label('temporary.emergency_payment_hours')}）")
    return out


def band_label(p: Params, index: int | None) -> str:
    """The provenance of one temporary-assistance band: its own source or 示意值 when it has one, else the key's."""
    bands = p.get("temporary.bands") or ()
    if index is None or index >= len(bands):
        return p.label("temporary.bands")
    band = dict(bands[index])
    if band.get("illustrative"):
        return "示意值"
    return band.get("source") or p.label("temporary.bands")


def _medical(row: dict[str, Any], p: Params, rules: set[str]) -> list[str]:
    out = []
    cat = MEDICAL.get(row.get("medical_category") or "")
    for col, kind, label in (("medical_outpatient", "outpatient_chronic", "门诊慢特病"),
                             ("medical_inpatient", "inpatient", "住院")):
        if row.get(col):
            k = f"medical.{kind}.{row['medical_category']}.rate"
            out.append(f"✓ {label}医疗救助（{cat}）{yuan(row[col])} 元（{p.label(k)}）")
    if "MEDICAL_CAP_REACHED" in rules:
        out.append(f"  {RULE_TEXT['MEDICAL_CAP_REACHED']}")
    return out
