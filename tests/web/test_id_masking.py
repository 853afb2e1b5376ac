"""Resident IDs stay masked wherever they could leak (issue 13 item 4): log lines and tracebacks, nested audit
values, search URLs, and the messages of every loader."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from urllib.parse import unquote

import pytest
from django.urls import reverse

from doudi.audit.models import AuditAction, AuditEvent
from doudi.audit.services import audit_record
from doudi.core.logging import MaskResidentIdFilter
from doudi.policy.loader import ProfileError, make_entry
from doudi.policy.values import KEYS
from doudi.registry.io.parse import RowError
from doudi.registry.io_views import _shown_value
from doudi.relatives.services import cadre_relative_add
from tests import factories as f

ID = f.make_id()
MASKED = ID[:6] + "*" * 11 + ID[-1]


def test_every_configured_handler_masks_ids_and_django_keeps_no_handlers_of_its_own(settings):
    assert settings.LOGGING["handlers"]
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_ids" in handler.get("filters", []), name
    for handler in logging.getLogger().handlers:
        if not type(handler).__module__.startswith("_pytest"):  # pytest's own capture
            assert any(isinstance(x, MaskResidentIdFilter) for x in handler.filters), handler
    for name in ("django", "django.request", "django.server"):
        assert not logging.getLogger(name).handlers, name  # Django's default console and mail handlers are gone


def test_a_handler_a_library_adds_later_still_gets_masked_records():
    """PySpark gives each of its loggers a stderr handler of its own, long after the configuration."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    library = logging.getLogger("some.library")
    library.addHandler(handler)
    try:
        try:
            raise RuntimeError(ID)
        except RuntimeError:
            library.error("row %s", ID, exc_info=True)
    finally:
        library.removeHandler(handler)
    text = stream.getvalue()
    assert "RuntimeError" in text and MASKED in text and ID not in text


@pytest.fixture
def log_text():
    """What the configured root handler writes, captured for one test."""
    handler = logging.getLogger().handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_message_traceback_and_exception_text_are_masked(log_text):
    mistyped = f.bad_check_digit(ID)
    try:
        raise ValueError(f"没有找到 {ID}（另有 {mistyped}）")
    except ValueError:
        logging.getLogger("doudi.test").exception("查询 %s 失败", ID)
    text = log_text.getvalue()
    assert "Traceback" in text and "ValueError" in text and MASKED in text
    assert ID not in text and mistyped not in text


def test_a_request_that_fails_logs_its_traceback_masked(client, people, log_text, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    logger = logging.getLogger("django.request")
    try:
        raise KeyError(ID)
    except KeyError:
        logger.error("Internal Server Error: /registry/?x=%s", ID, exc_info=True)
    text = log_text.getvalue()
    assert "KeyError" in text and ID not in text and MASKED in text


# --- audit ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_masks_ids_at_any_depth():
    event = audit_record(actor=None, action=AuditAction.UPDATE, object_type="registry.household", object_id=1,
                         changes={"members": [{"name": "张三", "id_number": ID, "note": f"证件 {ID}"}],
                                  "before": {"head": {"person": {"id_number": ID, "bank_account": "6222020200112233"}}},
                                  f"key {ID}": ("tuple", ID)})
    stored = json.dumps(AuditEvent.objects.get(pk=event.pk).changes, ensure_ascii=False)
    assert ID not in stored and "6222020200112233" not in stored
    assert event.changes["members"][0]["id_number"] == "***"
    assert event.changes["members"][0]["note"] == f"证件 {MASKED}"
    assert event.changes["before"]["head"]["person"]["bank_account"] == "***"


# --- search URLs -----------------------------------------------------------------------------------------------------


def _urls_in(response) -> list[str]:
    chain = [url for url, _status in response.redirect_chain]
    return [*chain, response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")]


@pytest.mark.django_db
def test_registry_search_by_id_is_posted_and_the_id_never_enters_a_url(owner_client, homes):
    url = reverse("registry:household_list")
    page = owner_client.get(url).content.decode()
    assert 'method="post"' in page and 'hx-post="' in page
    response = owner_client.post(url, {"q": homes.head_a.id_number}, follow=True)
    body = response.content.decode()
    assert homes.a.number in body and "共 1 户" in body
    for seen in _urls_in(response):
        assert homes.head_a.id_number not in unquote(seen)
    assert homes.head_a.id_number not in body.split('name="q"')[0]  # not in any link above the box
    # Paging and export links carry the token, and the export finds the same household through it.
    export = reverse("registry:export", args=["csv"]) + "?" + response.request["QUERY_STRING"]
    exported = b"".join(owner_client.get(export).streaming_content).decode("utf-8-sig")
    assert homes.a.number in exported and homes.b.number not in exported


@pytest.mark.django_db
def test_an_htmx_search_follows_the_redirect_to_the_partial(owner_client, homes):
    response = owner_client.post(reverse("registry:household_list"), {"q": homes.head_a.id_number},
                                 headers={"HX-Request": "true"}, follow=True)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"') and homes.a.number in body
    assert homes.head_a.id_number not in response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_an_old_link_with_an_id_in_the_url_is_moved_behind_a_token(owner_client, homes):
    url = reverse("registry:household_list")
    response = owner_client.get(url, {"q": homes.head_a.id_number, "region": ""})
    assert response.status_code == 303 and homes.head_a.id_number not in response["Location"]
    assert homes.a.number in owner_client.get(response["Location"]).content.decode()
    # A name is no number: the old link keeps working as it was.
    assert owner_client.get(url, {"q": "张"}).status_code == 200


@pytest.mark.django_db
def test_a_token_from_another_session_finds_nothing(client, people, homes):
    client.force_login(people.owner)
    location = client.post(reverse("registry:household_list"), {"q": homes.head_a.id_number})["Location"]
    client.logout()
    client.force_login(people.owner)  # a new session
    body = client.get(location).content.decode()
    assert homes.head_a.id_number not in body


@pytest.mark.django_db
def test_relatives_search_by_id_is_posted(client, tree, people):
    county_staff = people.county
    cadre_relative_add(actor=county_staff, region=tree.town_a, cadre_name="王干部", cadre_role="caseworker",
                       relative_name="王亲属", relative_id_number=ID, kinship="spouse")
    client.force_login(county_staff)
    url = reverse("relatives:register")
    assert 'name="op" value="search"' in client.get(url).content.decode()
    response = client.post(url, {"op": "search", "q": ID}, follow=True)
    assert "王亲属" in response.content.decode()
    assert all(ID not in unquote(u) for u in _urls_in(response))
    none = client.post(url, {"op": "search", "q": f.make_id()}, follow=True).content.decode()
    assert "王亲属" not in none
    moved = client.get(url, {"q": ID})
    assert moved.status_code == 303 and ID not in moved["Location"]


# --- loaders ---------------------------------------------------------------------------------------------------------


def test_policy_loader_never_echoes_an_id():
    key = next(iter(KEYS))
    with pytest.raises(ProfileError) as exc:
        make_entry(key, {"value": 1, "from": ID, "illustrative": True}, file="x.yaml")
    assert ID not in str(exc.value) and MASKED in str(exc.value)


def test_registry_import_errors_never_echo_an_id():
    error = RowError(3, "出生日期", ID, f"日期“{ID}”格式不正确")
    assert ID not in str(error)
    assert _shown_value("出生日期", ID) == MASKED
    assert ID not in _shown_value("身份证号码", ID)


@pytest.mark.django_db
def test_department_data_loader_never_echoes_an_id(tree):
    from doudi.verification.loader import DepartmentFileError, department_file_load

    home = f.household(tree.village_a)
    person = home.memberships.first().person
    header = "身份证号码,姓名,核对项目,细类,月收入（元）,价值（元）,数量,起始日期,终止日期,说明"
    rows = [[f.bad_check_digit(person.id_number), "错号", "tax", "wage", "100", "", "", "2024-01-01", "", ""],
            [person.id_number, person.name, "tax", "wage", "100", "", "", person.id_number, "", ""]]
    data = ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()
    with pytest.raises(DepartmentFileError) as exc:
        department_file_load(actor=None, department="tax", filename="d.csv", data=data)
    text = " ".join([exc.value.message, *exc.value.errors])
    assert len(exc.value.errors) == 2
    assert person.id_number not in text and f.bad_check_digit(person.id_number) not in text


@pytest.mark.django_db
def test_monitoring_feed_loader_never_echoes_an_id(tree):
    from doudi.monitoring.feeds.loader import FeedFileError, feed_load

    medical = f.user("medical", (tree.county, "department"), department="medical_security")
    home = f.household(tree.village_a)
    number = home.memberships.first().person.id_number
    header = "身份证号码,姓名,结算单号,结算日期,就诊类型,医疗总费用（元）,个人自付（元）,医疗机构"
    lines = [f"{f.bad_check_digit(number)},张三,JS1,2026-02-03,住院,100,50,",
             f"{number},张三,JS2,2026-02-03,{number},100,50,"]
    data = ("\n".join([header, *lines]) + "\n").encode("utf-8-sig")
    with pytest.raises(FeedFileError) as exc:
        feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=dt.date(2026, 2, 1),
                  filename="m.csv", data=data)
    text = " ".join([exc.value.message, *exc.value.errors])
    assert len(exc.value.errors) == 2
    assert number not in text and f.bad_check_digit(number) not in text
