"""The demo's low-income monitoring: department files, the matching run and the 一上一下 work on its warnings.

Everything goes through the real services as the demo users: the low-income database refresh (the rules engine
screens every household), department files loaded by the medical-security user and by the city civil-affairs
bureau (which receives the other departments' data through the exchange), one DuckDB matching run, warnings
pushed down (some long ago, so they are overdue), visited by the village assistant and the townships, and confirmed
by a second person; identifications and 一户一策 plans. The department rows are synthetic facts about the synthetic
population, chosen deterministically. Idempotent: nothing happens when the demo city already has warnings.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections import defaultdict
from typing import TYPE_CHECKING

import polars as pl
from django.db import transaction
from django.utils import timezone

from doudi.demo.population import CITY_CODE
from doudi.demo.regions import COUNTY_A, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A

if TYPE_CHECKING:
    from doudi.accounts.models import User

CITY_PREFIX = CITY_CODE[:4]
SEED = 20261125
FINDINGS = ("入户走访，核实家庭收入和支出情况", "电话联系并入户，了解到家庭确有困难",
            "与村干部一同走访，查看住房和就医票据")
DISMISSALS = ("入户核实家庭情况稳定，暂无救助需求", "已由亲属赡养，本人明确暂不申请",
              "部门数据有误，已与数据提供部门核对")
REFER_NEED = {"refer_medical": "medical", "refer_education": "education", "refer_housing": "housing",
              "refer_employment": "employment", "refer_disaster": "disaster"}


def _signature() -> bytes:
    """A hand-drawn-looking stroke, as the visit form's signature pad would send it (PNG)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 90), "white")
    points = [(20 + x * 13, 45 + int(18 * ((-1) ** x) * (1 - x / 22))) for x in range(21)]
    ImageDraw.Draw(image).line(points, fill="black", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _people(today: dt.date):
    """Persons of the low-income database: (person, household, village, category, id number, birth date)."""
    from doudi.monitoring.models import LowIncomeMember

    return list(LowIncomeMember.objects.filter(region__code__startswith=CITY_PREFIX).as_of(today)
                .values_list("person_id", "household_id", "region_id", "category", "person__id_number",
                             "person__birth_date").order_by("person_id", "category"))


def _day(rng: random.Random, today: dt.date, back: int) -> str:
    return (today - dt.timedelta(days=rng.randint(1, back))).isoformat()


def _feed_rows(today: dt.date, people) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    paid = sorted({(p, h) for p, h, _v, c, _n, _b in people if c in ("dibao", "tekun")})
    margin = sorted({(p, h) for p, h, _v, c, _n, _b in people if c in ("margin", "rigid", "monitored", "other")})
    ids = {p: n for p, _h, _v, _c, n, _b in people}
    births = {p: b for p, _h, _v, _c, _n, b in people}
    everyone = sorted({(p, h) for p, h, *_ in people})
    heads: dict[int, int] = {}
    for p, h in everyone:
        heads.setdefault(h, p)
    rows: dict[str, list[dict]] = defaultdict(list)
    n = 0
    for p, _h in everyone:
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 4)):
                n += 1
                inpatient = rng.random() < 0.3
                total = rng.randint(5000, 60000) if inpatient else rng.randint(60, 900)
                rows["medical_settlement"].append({
                    "id_number": ids[p], "settlement_no": f"YB{today:%Y}{n:07d}", "settled_on": _day(rng, today, 330),
                    "visit_type": "住院" if inpatient else "门诊", "total_yuan": str(total),
                    "oop_yuan": str(total * rng.randint(15, 45) // 100), "hospital": "呼伦贝尔市人民医院"})
    for p, _h in rng.sample(paid, max(1, len(paid) // 50)):
        rows["death"].append({"id_number": ids[p], "died_on": _day(rng, today, 150), "origin": "公安户籍注销"})
    for h in rng.sample(sorted({h for _p, h in margin}), min(20, len({h for _p, h in margin}))):
        rows["death"].append({"id_number": ids[heads[h]], "died_on": _day(rng, today, 60), "origin": "殡葬火化"})
    for p, _h in rng.sample(margin, len(margin) // 12):
        rows["employment"].append({"id_number": ids[p], "record_type": "失业登记", "occurred_on": _day(rng, today, 70)})
    for p, _h in rng.sample(paid, len(paid) // 25):
        for back in (20, 50):
            rows["employment"].append({"id_number": ids[p], "record_type": "工资",
                                       "occurred_on": (today - dt.timedelta(days=back)).isoformat(),
                                       "monthly_yuan": str(rng.randint(2600, 4200))})
    for p, _h in rng.sample(margin, len(margin) // 20):
        rows["disability"].append({"id_number": ids[p], "record_type": "新办", "issued_on": _day(rng, today, 70),
                                   "disability_type": "肢体", "grade": str(rng.choice((1, 2, 2, 3)))})
    for p, _h in rng.sample(everyone, len(everyone) // 35):
        rows["disaster"].append({"id_number": ids[p], "occurred_on": _day(rng, today, 70), "hazard": "雪灾",
                                 "loss_yuan": str(rng.randint(2000, 20000)), "house_damaged": "否"})
    for village in (VILLAGE_A, "150783103203"):
        rows["disaster"].append({"village_code": village, "occurred_on": (today - dt.timedelta(days=1)).isoformat(),
                                 "hazard": "洪涝", "loss_yuan": "0", "house_damaged": "是"})
    school = [(p, h) for p, h in everyone if 12 <= (today - births[p]).days // 365 <= 17]
    for p, _h in rng.sample(school, len(school) // 12):
        rows["education"].append({"id_number": ids[p], "record_type": "辍学", "occurred_on": _day(rng, today, 70),
                                  "school": "扎兰屯市第二中学"})
    for h in rng.sample(sorted(heads), len(heads) // 30):
        rows["housing"].append({"id_number": ids[heads[h]], "record_type": rng.choice(["C级危房", "D级危房"]),
                                "assessed_on": _day(rng, today, 150)})
    for i, (p, _h) in enumerate(rng.sample(paid, len(paid) // 30)):
        rows["vehicle"].append({"id_number": ids[p], "plate": f"蒙E{10000 + i}", "vehicle_type": "小型汽车",
                                "registered_on": _day(rng, today, 2000), "value_yuan": str(rng.randint(8000, 90000))})
    for i, (p, _h) in enumerate(rng.sample(paid, len(paid) // 50)):
        rows["company"].append({"id_number": ids[p], "credit_code": f"92150700MA{i:07d}X", "entity_type": "个体工商户",
                                "registered_on": _day(rng, today, 1500)})
    for i, (p, _h) in enumerate(rng.sample(paid, len(paid) // 50)):
        for j in (1, 2):
            rows["real_estate"].append({"id_number": ids[p], "unit_no": f"150702{i:06d}GB{j:05d}", "use": "住宅",
                                        "registered_on": _day(rng, today, 3000)})
    for p, _h in rng.sample(paid, len(paid) // 50):
        rows["hukou_move"].append({"id_number": ids[p], "moved_on": _day(rng, today, 70), "direction": "迁出",
                                   "place": "黑龙江省齐齐哈尔市"})
    for p, _h in rng.sample(paid, len(paid) // 80):
        rows["assistance_elsewhere"].append({"id_number": ids[p], "program": "低保", "place": "通辽市科尔沁区",
                                             "since": _day(rng, today, 300)})
    return rows


def _return_poverty_rows(today: dt.date, rng: random.Random) -> list[dict]:
    """Rural residents the rural-revitalisation bureau monitors, most of them not (yet) assisted."""
    from doudi.registry.models import Membership

    rows = list(Membership.objects.filter(household__region__code__startswith=CITY_PREFIX,
                                          household__area_type="rural", valid_to__isnull=True,
                                          relationship="head").values_list("person__id_number", flat=True)
                .order_by("person_id"))
    return [{"id_number": number, "monitor_type": rng.choice(["边缘易致贫户", "突发严重困难户", "脱贫不稳定户"]),
             "since": _day(rng, today, 150), "risk": "因病"} for number in rng.sample(rows, min(150, len(rows) // 8))]


def _upload(actor: User, feed: str, region, today: dt.date, rows: list[dict], fmt: str) -> None:
    from doudi.monitoring.feeds.loader import feed_load

    frame = pl.DataFrame(rows, infer_schema_length=None).fill_null("")
    buf = io.BytesIO()
    if fmt == "parquet":
        frame.write_parquet(buf)
    elif fmt == "xlsx":
        _xlsx(frame, buf)
    else:
        buf.write(frame.write_csv().encode("utf-8-sig"))
    feed_load(actor=actor, feed=feed, region=region, period=today.replace(day=1),
              filename=f"{feed}-{today:%Y%m}.{fmt}", data=buf.getvalue())


def _xlsx(frame: pl.DataFrame, buf) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(frame.columns)
    for row in frame.iter_rows():
        book.active.append(list(row))
    book.save(buf)


def _prepare_integrity(users, today: dt.date, rng: random.Random) -> None:
    """A few recipients registered as relatives of cadres, and a few recipient households sharing one account."""
    from doudi.monitoring.models import LowIncomeMember
    from doudi.registry.models import Household
    from doudi.relatives.services import cadre_relative_add

    paid = list(LowIncomeMember.objects.filter(region__code__startswith=TOWNSHIP_A[:9], category="dibao",
                                               valid_to__isnull=True).select_related("person", "region")
                .order_by("person_id"))
    for row in rng.sample(paid, min(6, len(paid))):
        cadre_relative_add(actor=users["township"], region=row.region, cadre_name="王建华", cadre_role="caseworker",
                           relative_name=row.person.name, relative_id_number=row.person.id_number, kinship="sibling")
    households = sorted({r.household_id for r in LowIncomeMember.objects.filter(
        region__code__startswith=CITY_PREFIX, category__in=["dibao", "tekun"], valid_to__isnull=True)})
    for first, second in zip(households[10:40:6], households[13:43:6], strict=False):
        account = Household.objects.filter(pk=first).values_list("bank_account", flat=True).first()
        Household.objects.filter(pk=second).update(bank_account=account)


def _identify_families(users, today: dt.date, rng: random.Random, counts) -> None:
    """Families the engine puts in the 低保边缘 or 刚性支出困难 range go through the formal identification: the county
    (or the city, for the other county) proposes and verifies, a second person decides."""
    from doudi.monitoring.models import Screening
    from doudi.monitoring.services import identification_decide, identification_propose, identification_verify

    found = list(Screening.objects.filter(region__code__startswith=CITY_PREFIX, covered=False, dibao_eligible=False,
                                          tekun_eligible=False).filter(margin=True).select_related("household")
                 .order_by("household_id"))
    found += list(Screening.objects.filter(region__code__startswith=CITY_PREFIX, covered=False, margin=False,
                                           rigid=True).select_related("household").order_by("household_id"))
    for s in rng.sample(found, min(160, len(found))):
        in_a = s.region_id.startswith(COUNTY_A[:6])
        maker, checker = (users["county"], users["city"]) if in_a else (users["city"], users["admin"])
        ident = _attempt(counts, identification_propose, actor=maker, household=s.household,
                         category="margin" if s.margin else "rigid", channel=rng.choice(["apply", "discovered"]),
                         statement="家庭申请认定" if rng.random() < 0.5 else "村（社区）走访发现")
        if ident is None or _attempt(counts, identification_verify, actor=maker, identification=ident) is None:
            continue
        ident.refresh_from_db()
        if rng.random() < 0.9 and _attempt(counts, identification_decide, actor=checker, identification=ident,
                                           approve=bool(ident.engine_eligible),
                                           reason="" if ident.engine_eligible else "测算不符合") is not None:
            counts["identified"] += 1


def _proposal(alert, rng: random.Random):
    from doudi.monitoring.services import Proposal

    s = alert.suggested
    if s in REFER_NEED:
        return Proposal("refer", REFER_NEED[s])
    if s in ("identify_margin", "identify_rigid"):
        return Proposal("identify", s.split("_")[1])
    if s in ("review", "stop"):
        return Proposal(s, reason="")
    if s in ("apply_dibao", "apply_tekun") and rng.random() < 0.25:
        return Proposal("apply", s.split("_")[1])
    if s == "apply_temporary" and rng.random() < 0.3:
        return Proposal("apply", "temporary", requested_fen=rng.choice((100_000, 200_000, 300_000)))
    return Proposal("dismiss", reason=rng.choice(DISMISSALS))


def _attempt(counts, fn, *args, **kwargs):
    from doudi.core.errors import DomainError

    try:
        with transaction.atomic():
            return fn(*args, **kwargs)
    except DomainError:
        counts["skipped"] += 1
        return None


def _work(users, today: dt.date, rng: random.Random, counts) -> None:
    """Push, visit and confirm: 团结村 by its assistant with the township confirming; the rest of the county by the
    townships with the county confirming; the other county pushed weeks ago and not visited (overdue)."""
    from doudi.monitoring.models import Alert
    from doudi.monitoring.services import alert_confirm, alert_push, alert_visit

    city = Alert.objects.filter(region__code__startswith=CITY_PREFIX, status="new").order_by("pk")
    county_a = list(city.filter(region__code__startswith=COUNTY_A[:6]).values_list("pk", flat=True))
    keep_new = set(rng.sample(county_a, len(county_a) // 8))
    early = [pk for pk in county_a if pk not in keep_new and rng.random() < 0.35]
    counts["pushed"] += alert_push(actor=users["county"], alerts=early, today=today - dt.timedelta(days=30))
    counts["pushed"] += alert_push(actor=users["county"], alerts=[pk for pk in county_a if pk not in keep_new
                                                                   and pk not in early], today=today)
    other = list(city.exclude(region__code__startswith=COUNTY_A[:6]).values_list("pk", flat=True))
    counts["pushed"] += alert_push(actor=users["city"], alerts=other, today=today - dt.timedelta(days=25))
    plan = ((VILLAGE_A, "village", "township", 0.8, 0.75), (TOWNSHIP_A[:9], "township", "county", 0.55, 0.6),
            (TOWNSHIP_B[:9], "township2", "county", 0.5, 0.5))
    done: set[int] = set()
    for prefix, visitor, confirmer, visit_share, confirm_share in plan:
        pushed = Alert.objects.filter(region__code__startswith=prefix, status="pushed")
        for alert in pushed.select_related("household").order_by("pk"):
            if alert.pk in done or rng.random() > visit_share:
                continue
            done.add(alert.pk)
            visit = _attempt(counts, alert_visit, actor=users[visitor], alert=alert,
                             visited_on=today - dt.timedelta(days=rng.randint(0, 6)),
                             findings=rng.choice(FINDINGS),
                             proposal=_proposal(alert, rng), signature=_signature())
            if visit is None:
                continue
            counts["visited"] += 1
            if rng.random() < confirm_share and _attempt(counts, alert_confirm, actor=users[confirmer],
                                                         alert=alert) is not None:
                counts["closed"] += 1


def _reports(users, today: dt.date, rng: random.Random, counts) -> None:
    from doudi.monitoring.services import Proposal, discovery_report
    from doudi.registry.models import Household

    households = list(Household.objects.filter(region_id=VILLAGE_A).order_by("pk")[:200])
    for household in rng.sample(households, min(5, len(households))):
        if _attempt(counts, discovery_report, actor=users["village"], household=household,
                    findings="网格走访发现：老人独居、患慢性病，子女在外地务工，冬季取暖困难",
                    proposal=Proposal("refer", "medical"), signature=_signature()) is not None:
            counts["reports"] += 1


def _identifications_and_plans(users, today: dt.date, rng: random.Random, counts) -> None:
    from doudi.monitoring.models import Alert, Identification, LowIncomeMember
    from doudi.monitoring.services import (
        identification_decide,
        identification_verify,
        plan_create,
        plan_follow_up,
        plan_measure_add,
    )

    for ident in Identification.objects.filter(region__code__startswith=TOWNSHIP_A[:9], state="proposed")[:6]:
        if _attempt(counts, identification_verify, actor=users["township"], identification=ident) is None:
            continue
        ident.refresh_from_db()
        _attempt(counts, identification_decide, actor=users["county"], identification=ident,
                 approve=bool(ident.engine_eligible), reason="" if ident.engine_eligible else "测算收入超过认定标准")
    households = list(Alert.objects.filter(region__code__startswith=TOWNSHIP_A[:9], severity__in=["red", "orange"])
                      .filter(household__in=LowIncomeMember.objects.filter(valid_to__isnull=True)
                              .values("household_id")).values_list("household_id", flat=True).distinct()[:10])
    from doudi.registry.models import Household

    for household in Household.objects.filter(pk__in=households):
        plan = _attempt(counts, plan_create, actor=users["township"], household=household,
                        needs="家庭主要劳动力患病住院，医疗支出大；子女就学需资助",
                        next_follow_up=today + dt.timedelta(days=30))
        if plan is None:
            continue
        counts["plans"] += 1
        plan_measure_add(actor=users["township"], plan=plan, department="medical_security",
                         measure="落实医疗救助和大病保险倾斜支付", due_on=today + dt.timedelta(days=20))
        plan_measure_add(actor=users["township"], plan=plan, department="education", measure="落实教育资助",
                         due_on=today + dt.timedelta(days=40))
        plan_measure_add(actor=users["township"], plan=plan, department="human_resources",
                         measure="为有劳动能力成员推荐公益性岗位")
        plan_follow_up(actor=users["township"], plan=plan, visited_on=today - dt.timedelta(days=rng.randint(1, 9)),
                       note="入户回访，医疗救助已申请，等待医保部门结算", next_follow_up=today + dt.timedelta(days=30))


def build_demo_monitoring(*, today: dt.date | None = None, stdout=None) -> dict[str, int]:
    from doudi.accounts.models import User
    from doudi.monitoring.job.run import monitoring_run
    from doudi.monitoring.models import Alert
    from doudi.monitoring.services import lowincome_refresh
    from doudi.regions.models import Region

    counts = defaultdict(int)
    names = ("city", "county", "township", "township2", "village", "medical", "admin")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names) or Alert.objects.filter(region__code__startswith=CITY_PREFIX).exists():
        if stdout:
            stdout.write("  已有监测预警，跳过 / monitoring data exists, skipped")
        return counts
    started = time.monotonic()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    city = Region.objects.get(code=CITY_CODE)
    lowincome_refresh(actor=users["city"], region_code=CITY_CODE, as_of=today)
    _identify_families(users, today, rng, counts)
    _prepare_integrity(users, today, rng)
    rows = _feed_rows(today, _people(today))
    rows["return_poverty"] = _return_poverty_rows(today, rng)
    formats = {"medical_settlement": "xlsx", "employment": "parquet"}
    for feed, feed_rows in rows.items():
        if feed_rows:
            actor = users["medical"] if feed == "medical_settlement" else users["city"]
            _upload(actor, feed, city, today, feed_rows, formats.get(feed, "csv"))
            counts["feed_rows"] += len(feed_rows)
    lowincome_refresh(actor=users["city"], region_code=CITY_CODE, as_of=today, screen=False)
    run = monitoring_run(actor=users["city"], region_code=CITY_CODE, as_of=today)
    counts["alerts"] = run.created_count
    _work(users, today, rng, counts)
    _reports(users, today, rng, counts)
    _identifications_and_plans(users, today, rng, counts)
    if stdout:
        stdout.write(f"  部门数据 {counts['feed_rows']} 行，预警 {counts['alerts']} 条（下发 {counts['pushed']}、"
                     f"走访 {counts['visited']}、处置 {counts['closed']}），村级上报 {counts['reports']}，"
                     f"低收入家庭认定 {counts['identified']} 户，"
                     f"一户一策 {counts['plans']} 户 / {time.monotonic() - started:.1f} s")
    return counts


def delete_demo_monitoring() -> None:
    """Remove the monitoring rows of the demo city (before its population), children first."""
    from doudi.monitoring import models as m

    m.HouseholdPlan.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.Identification.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.Alert.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.MonitoringRun.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.FeedBatch.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.LowIncomeMember.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    m.Screening.objects.filter(region__code__startswith=CITY_PREFIX).delete()
