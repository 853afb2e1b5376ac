"""The applicant's posts read through forms (core.posted): a non-numeric or out-of-range id is the Chinese message
"编号应为整数" / "编号应在…之间", a missing one is "not found", never a 500, and nothing is stored or signed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doudi.cases.models import Attachment
from doudi.verification.models import Authorisation
from tests import factories as f
from tests.cases.conftest import apply, head
from tests.selfservice.test_self_service import JPEG, _c, _stored

pytestmark = pytest.mark.django_db
BAD_IDS = [("abc", "编号应为整数"), ("1" * 25, "编号应为整数"), ("-4", "编号应在"), ("9" * 19, "编号应在")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def citizen(hh):
    return f.user("citizen", person=head(hh), display_name=head(hh).name)


@pytest.fixture
def app(people, hh, engine):
    return apply(people.owner, hh)


@pytest.mark.parametrize(("bad", "message"), [*BAD_IDS, (None, "未找到该申请"), ("", "未找到该申请")])
def test_a_bad_application_id_stores_nothing(citizen, app, media, bad, message):
    data = {"kind": "hukou_book", "file": SimpleUploadedFile("户口簿.jpg", JPEG, "image/jpeg")}
    if bad is not None:
        data["application"] = bad
    html = _c(citizen).post("/selfservice/attachments/", data, follow=True).content.decode()
    assert message in html
    assert not Attachment.objects.exists() and not _stored(media)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "请选择材料类型"),  # kind missing
    ({"kind": "k" * 5000}, "请选择材料类型"),
    ({"kind": "hukou_book", "supplies_item": "补" * 5000}, "所选补正材料不在一次性告知清单中"),
])
def test_a_bad_kind_or_supplied_item_stores_nothing(citizen, app, media, data, message):
    post = {"application": app.pk, "file": SimpleUploadedFile("户口簿.jpg", JPEG, "image/jpeg"), **data}
    html = _c(citizen).post("/selfservice/attachments/", post, follow=True).content.decode()
    assert message in html
    assert not Attachment.objects.exists() and not _stored(media)


@pytest.mark.parametrize(("bad", "message"), [*BAD_IDS, (None, "未找到该家庭成员")])
def test_a_bad_signer_id_or_name_signs_nothing(hh, citizen, bad, message):
    client = _c(citizen)
    data = {"confirm_name": "测试0"} | ({} if bad is None else {"person": bad})
    assert message in client.post("/selfservice/authorisations/", data, follow=True).content.decode()
    long_name = {"person": head(hh).pk, "confirm_name": "测" * 5000}
    assert "请输入您本人的完整姓名" in client.post("/selfservice/authorisations/", long_name,
                                                 follow=True).content.decode()
    assert not Authorisation.objects.exists()
