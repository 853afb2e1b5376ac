"""Render a result row as Chinese sentences, naming each parameter with its date and source (or 示意值)."""

from __future__ import annotations

from typing import Any

from doudi.rules.codes import REASON_TEXT, REASONS, RULE_TEXT, RULES, decode
from doudi.rules.params import Params


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
    urban = row["is_urban"]
    area = "城市" if urban else "农村"
    std_key = f"dibao.standard.{'urban' if urban else 'rural'}"
    rules = set(rule_codes(row))
    reasons = set(reason_codes(row))
    out: list[str] = [f"政策配置：{p.title or p.profile}，评估日期 {p.as_of.isoformat()}，参数版本 {p.version()}"]
    n = row["n"]
    line = f"共同生活家庭成员计入 {n} 人"
    if row["n_excluded"]:
        line += f"，不计入 {row['n_excluded']} 人（{RULE_TEXT['HH_MEMBER_EXCLUDED']}，民发〔2021〕57号 第七条）"
    out.append(line)
    out.append(f"家庭月收入（计入部分）{yuan(row['gross'])} 元")
    if "INCOME_KIND_EXCLUDED" in rules:
        out.append(f"不计入收入 {yuan(row['excl_income'])} 元（{p.label('income.excluded_kinds')}）")
    if "EMPLOYMENT_COST_DEDUCTED" in rules:
        out.append(f"扣减就业成本 {yuan(row['emp_ded'])} 元（{p.label('dibao.employment_cost.method')}）")
    if "RIGID_EXPENSE_DEDUCTED" in rules:
        out.append(f"扣减刚性支出 {yuan(row['rigid_ded'])} 元（{p.label('dibao.rigid_expense_deduction')}）")
    std_label = f"{area}低保标准 {yuan(row['std'])} 元（{p.label(std_key)}）"
    if "NO_STANDARD" in reasons:
        out.append(f"✗ {REASON_TEXT['NO_STANDARD']}")
    elif n:
        cmp_ = "<" if row["countable"] < row["threshold"] else "≥"
        verdict = "符合低保收入条件" if cmp_ == "<" else "不符合低保条件（恰好等于标准不属于低于标准）" \
            if row["countable"] == row["threshold"] else "不符合低保收入条件"
        out.append(f"家庭月人均可计算收入 {yuan(row['per_capita_income'])} 元（合计 {yuan(row['countable'])} 元）"
                   f" {cmp_} {std_label} × {n} 人 = {yuan(row['threshold'])} 元 → {verdict}")
    for code in ("PROPERTY_FINANCIAL", "PROPERTY_VEHICLE", "PROPERTY_REAL_ESTATE", "PROPERTY_BUSINESS"):
        if code in reasons:
            out.append(f"✗ 财产：{REASON_TEXT[code]}（{p.label('dibao.property.financial_months')}）")
    if "DIBAO_WHOLE_HOUSEHOLD" in rules:
        how = "分档" if "DIBAO_TIERS" in rules else "差额"
        src = p.label("dibao.amount_method") if how == "差额" else p.label("dibao.tiers")
        out.append(f"✓ 低保：按户施保 {row['dibao_persons']} 人，{how}计算月低保金 {yuan(row['dibao_amount'])} 元"
                   f"（{src}；四舍五入到元），自确认同意次月起发放")
    if "MARGIN" in rules:
        out.append(f"✓ 低保边缘家庭：人均收入低于低保标准的 {p['margin.multiple'] / 10000:g} 倍"
                   f"（{p.label('margin.multiple')}）")
    if "DIBAO_SINGLE_PERSON" in rules:
        out.append(f"✓ 单人户：{row['dibao_persons']} 名重残/重病成员参照单人户纳入低保，月低保金"
                   f" {yuan(row['dibao_amount'])} 元（{p.label('dibao.single_person.enabled')}）")
    if "TEKUN" in rules:
        key = f"tekun.basic_multiple.{'urban' if urban else 'rural'}"
        out.append(f"✓ 特困人员 {row['tekun_persons']} 人：基本生活标准合计 {yuan(row['tekun_basic'])} 元/月"
                   f"（低保标准 × {p[key] / 10000:g}，{p.label(key)}）")
        if "TEKUN_CARE" in rules:
            parts = [f"{k} {row[c]} 人" for k, c in (("完全丧失", "tk_c"), ("部分丧失", "tk_p"), ("具备自理", "tk_a"))
                     if row[c]]
            out.append(f"  照料护理标准合计 {yuan(row['tekun_care'])} 元/月（{'，'.join(parts)}；"
                       f"上年度月最低工资 {yuan(p.get('min_wage.prior_year_monthly'))} 元，"
                       f"{p.label('min_wage.prior_year_monthly')}；比例 {p.label('tekun.care_share.partial')}）")
    if "RIGID_DIFFICULTY" in rules:
        out.append(f"✓ 刚性支出困难家庭：有效期 {row['rigid_valid_months']} 个月（{p.label('rigid.ratio_threshold')}）")
    if "GRACE" in rules:
        out.append(f"✓ 渐退：继续按原标准 {yuan(row['grace_amount'])} 元/月发放 {row['grace_months']} 个月，"
                   f"至 {row['grace_last_month']}，之后停发并书面告知（{p.label('grace.months')}）")
    if "GRACE_EXCLUDED" in rules:
        out.append(f"✗ {RULE_TEXT['GRACE_EXCLUDED']}（{p.label('grace.excluded_reasons')}）")
    if row.get("temp_type"):
        kind = "急难型" if row["temp_type"] == "emergency" else "支出型"
        if row["temp_eligible"]:
            rng = (f"可救助 {yuan(row['temp_min'])}–{yuan(row['temp_max'])} 元（{p.label('temporary.bands')}）"
                   if row["temp_max"] is not None else "当地未设该类标准")
            appr = {"township": "乡镇（街道）审批", "county": "县级审批",
                    "county_case_conference": "须经一事一议（县级困难群众基本生活保障协调机制）审批并附会议纪要"}
            out.append(f"✓ {kind}临时救助：{rng}；拟救助 {yuan(row['temp_amount'])} 元；"
                       f"{appr.get(row['temp_approval'], '')}")
            if row.get("temp_pay_within_hours"):
                out.append(f"  急难型先行救助，{row['temp_pay_within_hours']} 小时内发放"
                           f"（{p.label('temporary.emergency_payment_hours')}）")
        else:
            out.append(f"✗ {kind}临时救助：{REASON_TEXT['TEMP_INCOME_TOO_HIGH']}"
                       f"（{p.label('prior_year_disposable_income.urban')}）")
    cats = {"tekun": "特困人员", "dibao": "低保对象", "margin": "低保边缘家庭成员"}
    cat = cats.get(row.get("medical_category") or "")
    if row.get("medical_outpatient"):
        k = f"medical.outpatient_chronic.{row['medical_category']}.rate"
        out.append(f"✓ 门诊慢特病医疗救助（{cat}）{yuan(row['medical_outpatient'])} 元（{p.label(k)}）")
    if row.get("medical_inpatient"):
        k = f"medical.inpatient.{row['medical_category']}.rate"
        out.append(f"✓ 住院医疗救助（{cat}）{yuan(row['medical_inpatient'])} 元（{p.label(k)}）")
    if "MEDICAL_CAP_REACHED" in rules:
        out.append(f"  {RULE_TEXT['MEDICAL_CAP_REACHED']}")
    if row.get("review_months"):
        out.append(f"核查周期：每 {row['review_months']} 个月核查一次")
    if not (row["dibao_eligible"] or row["tekun_eligible"] or row["margin"] or row["rigid_difficulty"]):
        why = [REASON_TEXT[c] for c in reason_codes(row)
               if c not in ("RIGID_NOT_IN_FORCE", "TEMP_INCOME_TOO_HIGH", "TEMP_NO_BAND")]
        out.append("不符合低保、特困、低保边缘、刚性支出困难认定：" + "；".join(why))
    return out
