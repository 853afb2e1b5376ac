"""Department feeds: declared schemas, all-or-nothing files with Chinese row errors, re-runs, area binding."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from openpyxl import Workbook

from doudi.core.errors import PermissionDenied
from doudi.monitoring.feeds.loader import FeedFileError, feed_load
from doudi.monitoring.feeds.schemas import FEEDS
from doudi.monitoring.models import FeedBatch, FeedRow
from doudi.registry.models import Membership
from doudi.rules.monitoring import FEED_CODES
from tests import factories as f

pytestmark = pytest.mark.django_db
PERIOD = dt.date(2026, 2, 1)
HEADER = "身份证号码,姓名,结算单号,结算日期,就诊类型,医疗总费用（元）,个人自付（元）,医疗机构"


def _id(household):
    return Membership.objects.filter(household=household).order_by("id").first().person.id_number


@pytest.fixture
def medical(tree):
    return f.user("medical", (tree.county, "department"), department="medical_security")


@pytest.fixture
def elsewhere(tree):
    county = f.region("150783000000", "扎兰屯市", "county", tree.city)
    town = f.region("150783001000", "兴华街道", "township", county)
    village = f.region("150783001001", "兴华社区", "village", town)
    return f.household(village)


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")


def test_every_feed_type_column_uses_the_rule_vocabulary():
    for code, feed in FEEDS.items():
        if feed.type_column:
            assert set(feed.column(feed.type_column).choices.values()) == set(FEED_CODES[code]), code


def test_a_settlement_file_loads_once_and_matches_only_people_of_the_area(tree, medical, elsewhere):
    home = f.household(tree.village_a)
    data = _csv(
        f"{_id(home)},张三,JS001,2026-02-03,住院,12000.00,4800.50,市医院",
        f"{_id(elsewhere)},李四,JS002,2026-02-04,outpatient,300,100,镇卫生院",
        f"{f.make_id()},王五,JS003,2026-02-05,门诊,80,20,",
    )
    result = feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD,
                       filename="医保2026-02.csv", data=data)
    rows = {r.row_key: r for r in FeedRow.objects.all()}
    assert result.rows == 3 and len(rows) == 3
    matched = FeedRow.objects.get(match="matched")
    assert matched.person.id_number == _id(home) and matched.amount_fen == 480050 and matched.code == 2
    assert FeedRow.objects.get(match="out_of_area").person is None  # another county's resident: never matched
    assert FeedRow.objects.filter(match="unknown").count() == 1
    batch = FeedBatch.objects.get()
    assert (batch.department, batch.region, batch.uploaded_by) == ("medical_security", tree.county, medical)
    assert len(batch.checksum) == 64 and batch.period == PERIOD

    again = feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD,
                      filename="医保2026-02.csv", data=data)
    assert again.already_loaded and FeedRow.objects.count() == 3 and FeedBatch.objects.count() == 1


def test_rows_already_delivered_in_an_earlier_file_are_not_loaded_twice(tree, medical):
    home = f.household(tree.village_a)
    first = _csv(f"{_id(home)},张三,JS001,2026-02-03,住院,12000,4800,")
    feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD, filename="a.csv",
              data=first)
    both = _csv(f"{_id(home)},张三,JS001,2026-02-03,住院,12000,4800,", f"{_id(home)},张三,JS009,2026-02-20,门诊,90,30,")
    result = feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD, filename="b.csv",
                       data=both)
    assert result.skipped == 1 and FeedRow.objects.count() == 2


def test_a_malformed_file_writes_nothing_and_names_each_bad_row_in_chinese(tree, medical):
    home = f.household(tree.village_a)
    good = f"{_id(home)},张三,JS001,2026-02-03,住院,12000,4800,"
    data = _csv(
        good,
        f"{f.bad_check_digit(_id(home))},张三,JS002,2026-02-03,住院,100,50,",
        f"{_id(home)},张三,JS003,2026-13-01,住院,100,50,",
        f"{_id(home)},张三,JS004,2026-02-03,急诊,100,50,",
        f"{_id(home)},张三,JS005,2026-02-03,门诊,100,500,",
        f"{_id(home)},张三,JS006,2026-02-03,门诊,一百,50,",
        good,
    )
    with pytest.raises(FeedFileError) as exc:
        feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD, filename="bad.csv",
                  data=data)
    errors = exc.value.errors
    assert "未导入任何数据" in exc.value.message
    assert errors[0].startswith("第 3 行") and "身份证号码" in errors[0]
    assert errors[1].startswith("第 4 行") and "结算日期" in errors[1]
    assert errors[2].startswith("第 5 行") and "就诊类型" in errors[2]
    assert errors[3].startswith("第 6 行") and "个人自付不能大于医疗总费用" in errors[3]
    assert errors[4] == "第 7 行：医疗总费用（元）：金额“一百”不是有效数字"
    assert errors[5] == "第 8 行：与第 2 行重复"
    assert FeedBatch.objects.count() == 0 and FeedRow.objects.count() == 0


def test_missing_columns_are_named(tree, medical):
    with pytest.raises(FeedFileError) as exc:
        feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD, filename="x.csv",
                  data="身份证号码,姓名\n1,2\n".encode())
    assert exc.value.code == "missing_columns" and "结算单号" in exc.value.message


def test_excel_and_parquet_files_load_like_csv(tree):
    hr = f.user("hr", (tree.county, "department"), department="human_resources")
    home = f.household(tree.village_a)
    header = ["身份证号码", "姓名", "记录类别", "日期", "月金额（元）", "单位"]
    row = [_id(home), "张三", "工资", dt.date(2026, 2, 10), 3500.5, "某公司"]
    book = Workbook()
    book.active.append(header)
    book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    feed_load(actor=hr, feed="employment", region=tree.county, period=PERIOD, filename="人社.xlsx",
              data=buf.getvalue())
    frame = pl.DataFrame({"id_number": [_id(home)], "record_type": ["unemployed"], "occurred_on": ["2026-02-11"]})
    out = io.BytesIO()
    frame.write_parquet(out)
    feed_load(actor=hr, feed="employment", region=tree.county, period=PERIOD, filename="失业.parquet",
              data=out.getvalue())
    rows = list(FeedRow.objects.order_by("event_date").values_list("code", "amount_fen", "match"))
    assert rows == [(4, 350050, "matched"), (1, 0, "matched")]
    assert set(FeedBatch.objects.values_list("fmt", flat=True)) == {"xlsx", "parquet"}


def test_an_upload_is_bound_to_the_uploaders_department_and_area(tree, medical, elsewhere):
    with pytest.raises(PermissionDenied):  # medical security does not send death records
        feed_load(actor=medical, feed="death", region=tree.county, period=PERIOD, filename="d.csv",
                  data=f"身份证号码,死亡日期\n{_id(elsewhere)},2026-02-01\n".encode())
    other_county = elsewhere.region.parent.parent
    with pytest.raises(PermissionDenied):  # no grant there
        feed_load(actor=medical, feed="medical_settlement", region=other_county, period=PERIOD, filename="m.csv",
                  data=_csv(f"{_id(elsewhere)},李四,JS1,2026-02-03,住院,100,50,"))
    assert FeedBatch.objects.count() == 0


def test_area_rows_must_name_a_village_of_the_area(tree):
    emergency = f.user("yingji", (tree.town_a, "department"), department="emergency")
    data = ("村（社区）区划代码,受灾日期,灾种,损失金额（元）\n"
            f"{tree.village_a.code},2026-02-02,雪灾,0\n{tree.village_b.code},2026-02-02,雪灾,0\n").encode()
    with pytest.raises(FeedFileError) as exc:
        feed_load(actor=emergency, feed="disaster", region=tree.town_a, period=PERIOD, filename="灾情.csv", data=data)
    assert exc.value.errors == [f"第 3 行：村（社区）区划代码“{tree.village_b.code}”不是本辖区内的村（社区）"]


def test_an_exchange_push_is_validated_like_a_file(tree, medical):
    home = f.household(tree.village_a)
    rows = [{"id_number": _id(home), "settlement_no": "P1", "settled_on": "2026-02-03", "visit_type": "inpatient",
             "total_yuan": "100", "oop_yuan": "60"}]
    result = feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD,
                       filename="push", rows=rows)
    assert result.counts["matched"] == 1 and FeedBatch.objects.get().fmt == "push"
    assert feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=PERIOD,
                     filename="push", rows=rows).already_loaded
