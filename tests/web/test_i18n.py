"""English through Django i18n: the language switch, the translated shell and a complete catalogue."""

from __future__ import annotations

import ast
import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

import doudi

pytestmark = pytest.mark.django_db

PO = Path(doudi.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
CHINESE_NAV = ["首页", "家庭台账", "救助案件", "退出"]


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302


def test_english_shell_after_switching_language(client, people, homes):
    client.force_login(people.owner)
    _switch_to_english(client)
    pages = {
        "home": reverse("web:home"),
        "households": reverse("registry:household_list"),
        "household": reverse("registry:household_detail", args=[homes.a.pk]),
        "cases": reverse("cases:case_list"),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert '<html lang="en">' in body, name
        assert "Log out" in body and "Household registry" in body, name
        for label in CHINESE_NAV:
            assert f">{label}<" not in body, (name, label)
    assert "Households in jurisdiction" in client.get(pages["home"]).content.decode()
    assert "Household " + homes.a.number in client.get(pages["household"]).content.decode()
    assert "Assistance cases" in client.get(pages["cases"]).content.decode()


def test_default_language_stays_chinese(client, people, homes):
    client.force_login(people.owner)
    body = client.get(reverse("registry:household_list")).content.decode()
    assert "家庭台账" in body and "退出" in body and "Log out" not in body


def _entries(text):
    """(msgid, [msgstr...], flags) for each entry of a .po file."""
    for block in text.strip().split("\n\n"):
        msgid, strs, flags, cur = [], [], "", None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("msgid "):
                cur = msgid
                msgid.append(ast.literal_eval(line[6:]))
            elif line.startswith("msgid_plural "):
                cur = None
            elif line.startswith("msgstr"):
                cur = []
                strs.append(cur)
                cur.append(ast.literal_eval(line.split(" ", 1)[1]))
            elif line.startswith('"') and cur is not None:
                cur.append(ast.literal_eval(line))
        yield "".join(msgid), ["".join(s) for s in strs], flags


def _problems(po_text: str) -> list[str]:
    _header, *messages = _entries(po_text)
    return [msgid for msgid, msgstrs, flags in messages
            if "fuzzy" in flags or not msgstrs or not all(s.strip() for s in msgstrs)]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_every_translatable_string_in_the_code_has_english(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the package, merged into a copy of the committed catalogue: a string wrapped for
    translation in a template or a .py file that the catalogue lacks comes out empty (or fuzzy) and fails here. Fix:
    ``cd src/doudi && python -P -m doudi makemessages -l en --no-obsolete`` (``-P``: the package's ``statistics``
    app would shadow the standard library's from that folder), translate, ``python -P -m doudi compilemessages``."""
    copy = tmp_path / "doudi"
    shutil.copytree(PO.parents[3], copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    missing = _problems((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    assert missing == [], f"{len(missing)} strings without English: {missing[:20]}"


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (the demo and the server read it; nothing compiles at install time): it must hold
    every translation of the .po, so a .po edited without ``compilemessages`` fails here."""
    with open(PO.with_suffix(".mo"), "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    _header, *messages = _entries(PO.read_text(encoding="utf-8"))
    stale = [msgid for msgid, msgstrs, _flags in messages
             if catalog.get(msgid, catalog.get((msgid, 0))) != msgstrs[0]]
    assert stale == [], stale[:20]
    assert os.path.getsize(PO.with_suffix(".mo")) > 10_000


def test_english_catalogue_is_complete():
    entries = list(_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 1000
    header, *messages = entries
    assert header[0] == "" and "fuzzy" not in header[2]
    for msgid, msgstrs, flags in messages:
        assert "fuzzy" not in flags, msgid
        assert msgstrs and all(s.strip() for s in msgstrs), msgid
    assert PO.with_suffix(".mo").exists()


def test_chinese_by_default_whatever_the_browser_asks_until_the_user_switches(client, people):
    """A caseworker's computer set up in English still gets Chinese screens; English only by the user's choice."""
    client.force_login(people.owner)
    page = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "退出" in page
    _switch_to_english(client)
    page = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page and "Log out" in page
