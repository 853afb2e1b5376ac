"""Registry benchmark: the household list, its searches and one household page at registry scale on PostgreSQL.

``doudi bench registry --households 1000000 [--json] [--database doudi_bench_registry]``. Like the payroll bench,
the benchmark database (on the server of DATABASE_URL, which must be PostgreSQL) is created and migrated if needed
and **emptied**, then filled by COPY (not timed): N households over 1 000 villages (10 counties × 10 townships ×
10 villages of one city), 1–4 members each (2.5 on average, some of whom have left), Chinese names, unique resident
ID numbers with a valid check digit, and a few evidence rows per household (an income per member, the head's
employment and a deposit). The timed part goes through the real views with Django's test client, as a township
caseworker (one township, ~1 % of the households) and as a city officer (every household): list first page (with
the member count and head), searches by a member's name, a full ID number, a household-number prefix and an
address fragment, and one household page (full record as of today + history). Each figure is the median of
``--runs`` requests after one warm-up.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

import polars as pl

from doudi.bench.common import copy_frame, peak_rss_mb, use_database

CITY = "9901"
COUNTIES = TOWNSHIPS = VILLAGES = 10  # 1 000 villages
# Real area codes (Hulunbuir) for the ID numbers of each benchmark county.
AREA_CODES = ["150702", "150703", "150721", "150722", "150723", "150724", "150725", "150726", "150727", "150781"]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建国志文斌辉鹏宇浩凯春梅海波丹燕云飞林婷雪琴"
    "晶慧玲新亮俊峰佳欣子涵怡宁晨阳东成福荣兴旺德胜利民安永长金宝山江河"
)
PLACE = list("安宝北昌大东丰福光和红花吉建金乐利林柳龙明南平青庆秋泉山胜双顺太新兴阳永裕长振中")
# Permutation of 25 000 000 (= 1 000 sequence numbers × 25 000 birth days): p → p·A mod M is one-to-one, so the
# (birth day, sequence) pairs, hence the ID numbers, are unique for up to 25 million persons.
ID_SPACE, ID_MULT = 25_000_000, 7_777_777
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
TODAY_FROM = "2020-01-01"


def add_arguments(parser) -> None:
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--database", default="doudi_bench_registry", help="专用基准测试数据库名（会被清空）")
    parser.add_argument("--chunk", type=int, default=200_000, help="每批生成的家庭数（仅影响装载内存）")
    parser.add_argument("--runs", type=int, default=5, help="每项计时的次数（取中位数）")
    parser.add_argument("--no-load", action="store_true", help="不重新装载，直接计时已有的基准数据库")


def _place(i: int, suffix: str) -> str:
    return PLACE[i // len(PLACE) % len(PLACE)] + PLACE[i % len(PLACE)] + suffix


def _regions() -> list[tuple[str, str, str]]:
    """Create the city's tree; return (village code, township name, village name) for the 1 000 villages."""
    from doudi.regions.models import Region

    rows = [
        Region(code="990000000000", name="基准省", level="province"),
        Region(code=f"{CITY}00000000", name="基准市", level="city", parent_id="990000000000"),
    ]
    villages = []
    for c in range(1, COUNTIES + 1):
        county = f"{CITY}{c:02d}000000"
        rows.append(Region(code=county, name=_place(c * 7, "县"), level="county", parent_id=f"{CITY}00000000"))
        for t in range(1, TOWNSHIPS + 1):
            town = f"{CITY}{c:02d}{t:03d}000"
            town_name = _place(c * 100 + t * 13, "镇")
            rows.append(Region(code=town, name=town_name, level="township", parent_id=county))
            for v in range(1, VILLAGES + 1):
                code = f"{CITY}{c:02d}{t:03d}{v:03d}"
                name = _place(((c - 1) * 100 + (t - 1) * 10 + v) * 37, "村")
                rows.append(Region(code=code, name=name, level="village", parent_id=town, area_type="rural"))
                villages.append((code, town_name, name))
    Region.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "parent", "area_type"]
    )
    return villages


def _pick(values: list[str], expr: pl.Expr) -> pl.Expr:
    return expr.mod(len(values)).cast(pl.Int64).replace_strict(dict(enumerate(values)), return_dtype=pl.String)


def _h(col: str, seed: int) -> pl.Expr:
    return pl.col(col).hash(seed)


def _chunk_frames(lo: int, hi: int, person_offset: int, villages: list[tuple[str, str, str]], now: str):
    """Households lo..hi-1 (ids), their persons (ids from person_offset + 1), memberships and evidence."""
    hh, households = _household_frames(lo, hi, villages, now)
    people, persons, memberships = _people_frames(hh, person_offset, now)
    return persons.height, [
        ("registry_household", households),
        ("registry_person", persons),
        ("registry_membership", memberships),
        *_evidence_frames(people, now),
    ]


def _household_frames(lo: int, hi: int, villages: list[tuple[str, str, str]], now: str):
    nv = len(villages)
    hh = pl.DataFrame({"id": pl.int_range(lo, hi, eager=True, dtype=pl.Int64)}).with_columns(
        v=(pl.col("id") - 1) % nv,
        seq=(pl.col("id") - 1) // nv + 1,
        k=(_h("id", 1) % 4 + 1).cast(pl.Int64),
    )
    hh = hh.with_columns(
        region_id=_pick([v[0] for v in villages], pl.col("v")),
        town=_pick([v[1] for v in villages], pl.col("v")),
        village=_pick([v[2] for v in villages], pl.col("v")),
        area=_pick(AREA_CODES, pl.col("v") // (nv // len(AREA_CODES))),
    ).with_columns(
        number=pl.col("region_id") + pl.col("seq").cast(pl.String).str.zfill(6),
        address=pl.format("{}{}{}组{}号", "town", "village", _h("id", 2) % 9 + 1, _h("id", 3) % 120 + 1),
    )
    households = hh.select(
        "id",
        "number",
        "region_id",
        "address",
        has_residence_permit=pl.lit(False),
        area_type=pl.lit("rural"),
        phone=pl.format("13{}", (_h("id", 4) % 1_000_000_000).cast(pl.String).str.zfill(9)),
        bank_name=pl.lit("农村信用社"),
        bank_account=pl.format("6221{}", pl.col("id").cast(pl.String).str.zfill(14)),
        account_holder=pl.lit(""),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    return hh, households


def _people_frames(hh: pl.DataFrame, person_offset: int, now: str):
    """One to four persons per household with unique, valid resident IDs, and their memberships."""
    people = (
        hh.select("id", "k", "area")
        .with_columns(pos=pl.int_ranges(0, "k"))
        .explode("pos")
        .rename({"id": "household_id"})
        .with_row_index("pid", offset=person_offset + 1)
        .with_columns(pl.col("pid").cast(pl.Int64))
    )
    perm = (pl.col("pid") * ID_MULT) % ID_SPACE
    two_chars = _h("pid", 7) % 3 != 0
    people = people.with_columns(
        seq=perm % 1000,
        birth=pl.lit(dt.date(1950, 1, 1)) + pl.duration(days=perm // 1000),
        name=_pick(SURNAMES, _h("pid", 5))
        + _pick(GIVEN, _h("pid", 6))
        + pl.when(two_chars).then(_pick(GIVEN, _h("pid", 8))).otherwise(pl.lit("")),
    ).with_columns(
        id17=pl.col("area") + pl.col("birth").dt.strftime("%Y%m%d") + pl.col("seq").cast(pl.String).str.zfill(3),
    )
    check = (
        pl.sum_horizontal([pl.col("id17").str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(ID_WEIGHTS)]) % 11
    )
    people = people.with_columns(id_number=pl.col("id17") + _pick(list("10X98765432"), check))
    persons = people.select(
        id="pid",
        id_number="id_number",
        name="name",
        sex=pl.when(pl.col("seq") % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F")),
        birth_date="birth",
        ethnicity=pl.lit("汉族"),
        phone=pl.lit(""),
        date_of_death=pl.lit(None, pl.Date),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    # Every tenth household of two or more had its last member leave in mid-2023: history the as-of filter skips.
    left = (pl.col("household_id") % 10 == 0) & (pl.col("pos") == pl.col("k") - 1) & (pl.col("k") > 1)
    memberships = people.select(
        id="pid",
        household_id="household_id",
        person_id="pid",
        relationship=pl.when(pl.col("pos") == 0)
        .then(pl.lit("head"))
        .when(pl.col("pos") == 1)
        .then(pl.lit("spouse"))
        .otherwise(pl.lit("child")),
        lives_together=pl.lit(True),
        valid_from=pl.lit(dt.date(2020, 1, 1)) + pl.duration(days=_h("household_id", 9) % 1000),
        valid_to=pl.when(left).then(pl.lit(dt.date(2023, 6, 30))).otherwise(pl.lit(None, pl.Date)),
    )
    return people, persons, memberships


def _evidence_frames(people: pl.DataFrame, now: str) -> list[tuple[str, pl.DataFrame]]:
    """An income per person; the head's employment and a deposit."""
    base = dict(
        valid_from=pl.lit(dt.date(2024, 1, 1)),
        valid_to=pl.lit(None, pl.Date),
        source=pl.lit("declared"),
        note=pl.lit(""),
        recorded_by_id=pl.lit(None, pl.Int64),
        created_at=pl.lit(now),
    )
    incomes = people.select(
        id="pid",
        person_id="pid",
        **base,
        kind=_pick(["wage", "business", "transfer", "basic_pension"], _h("pid", 10)),
        monthly_fen=(_h("pid", 11) % 300_000).cast(pl.Int64),
    )
    heads = people.filter(pl.col("pos") == 0)
    employments = heads.select(
        id="household_id",
        person_id="pid",
        **base,
        status=_pick(["employed", "flexible", "self_employed", "unemployed"], _h("pid", 12)),
        employer=pl.lit(""),
    )
    assets = heads.select(
        id="household_id",
        person_id="pid",
        **base,
        kind=pl.lit("deposit"),
        value_fen=(_h("pid", 13) % 5_000_000).cast(pl.Int64),
        quantity=pl.lit(1),
        description=pl.lit(""),
        exempt=pl.lit(False),
    )
    return [("registry_income", incomes), ("registry_employment", employments), ("registry_asset", assets)]


TABLES = [
    "registry_household",
    "registry_person",
    "registry_membership",
    "registry_income",
    "registry_employment",
    "registry_asset",
]


def _populate(n: int, chunk: int) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        # A dedicated database: everything that hangs off households or persons goes (users are recreated below).
        cur.execute("TRUNCATE registry_household, registry_person, audit_auditevent CASCADE")
    villages = _regions()
    now = dt.datetime.now(dt.UTC).isoformat()
    persons = 0
    for lo in range(1, n + 1, chunk):
        count, frames = _chunk_frames(lo, min(lo + chunk, n + 1), persons, villages, now)
        with transaction.atomic():
            for table, df in frames:
                copy_frame(table, df)
        persons += count
    with connection.cursor() as cur:
        for table in TABLES:
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cur.execute(sql)
        # What autovacuum would have done by the time anyone searches: statistics and the visibility map.
        for table in TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")


def _users():
    from doudi.accounts.models import RegionGrant, User

    township = f"{CITY}01001000"
    users = {}
    for key, role, region in (
        ("township", "township_caseworker", township),
        ("city", "civil_affairs", f"{CITY}00000000"),
    ):
        user, _c = User.objects.get_or_create(username=f"bench_{key}", defaults={"display_name": f"基准{key}"})
        RegionGrant.objects.get_or_create(user=user, region_id=region, role=role)
        users[key] = user
    return users, township


def _targets(township: str) -> dict[str, str]:
    """Search terms that find something in the township (so both users get hits)."""
    from doudi.registry.models import Household, Membership

    household = Household.objects.filter(region__code__startswith=township[:9]).order_by("number")[37]
    head = Membership.objects.filter(household=household, relationship="head").select_related("person").get().person
    village = household.address[len(household.region.parent.name) :][:3]  # e.g. "安宝村"
    return {
        "pk": str(household.pk),
        "name": head.name,
        "id_number": head.id_number,
        "number_prefix": household.number[:16],
        "address": f"{village}3组",
    }


def _time(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up (caches, plans)
    samples = []
    for _i in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return round(statistics.median(samples), 1), len(ctx.captured_queries)


def run(options: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    use_database(options["database"])
    n = options["households"]
    t0 = time.perf_counter()
    if not options["no_load"]:
        _populate(n, options["chunk"])
    setup = time.perf_counter() - t0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users, township = _users()
    t = _targets(township)
    list_url = reverse("registry:household_list")
    # Searches are posted (the term goes behind a session token, core/search.py); what is timed is the list by GET
    # at the URL the post redirects to, as before.
    terms = {"search_name": t["name"], "search_id": t["id_number"], "search_number": t["number_prefix"],
             "search_address": t["address"]}
    pages = {"list": list_url, **dict.fromkeys(terms, ""),
             "household_page": reverse("registry:household_detail", args=[t["pk"]])}
    from doudi.registry.models import Household, Membership, Person

    result: dict[str, Any] = {"households": Household.objects.count() if options["no_load"] else n}
    queries: dict[str, int] = {}
    for who in ("city", "township"):
        client = Client()
        client.force_login(users[who])
        for key, url in pages.items():
            if key in terms:
                url = client.post(list_url, {"q": terms[key]})["Location"]
            ms, q = _time(client, url, options["runs"])
            result[f"{key}_ms" if who == "city" else f"township_{key}_ms"] = ms
            queries[key] = q
    result.update(
        {
            "peak_rss_mb": peak_rss_mb(),
            "persons": Person.objects.count(),
            "memberships": Membership.objects.count(),
            "queries_per_page": queries,
            "search_terms": {k: v for k, v in t.items() if k != "id_number"},
            "setup_seconds": round(setup, 1),
            "database": options["database"],
        }
    )
    return result
