"""What the browser is told (issue 9, items 4 and 5): pages with personal data are never cached, a strict
Content-Security-Policy holds because no template carries inline script or style, and the API docs are served from
this site's own static files to staff only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import doudi
from tests import factories as f

pytestmark = pytest.mark.django_db

TEMPLATES = [p for p in Path(doudi.__file__).parent.rglob("templates/**/*.html") if "/pdf/" not in str(p)]


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize("url", ["/", "/registry/", "/registry/export.csv", "/cases/export.xlsx", "/api/cases/",
                                 "/login/", "/cases/public/150702001001/"])
def test_no_response_is_stored_by_a_browser_or_proxy(people, homes, url):
    client = _client(None if url in ("/login/", "/cases/public/150702001001/") else people.county)
    response = client.get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_content_security_policy_forbids_inline_script_and_foreign_origins(people):
    policy = _client(people.owner).get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy and "http" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("/templates/")[1])
def test_templates_carry_no_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    inline_scripts = [m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m]
    assert inline_scripts == [], "move the script to a static file (data via json_script)"
    assert "<style" not in text and not re.search(r"\sstyle=", text), "move the style to a static CSS file"
    assert not re.search(r"\son[a-z]+=", text), "no inline event handlers (onclick=…)"
    assert "hx-on" not in text and "js:" not in text, "htmx eval is off (allowEval: false)"


def test_api_docs_are_for_staff_and_load_only_local_assets(people, tree):
    assert _client().get("/api/docs").status_code == 302  # to the login page
    assert _client(people.county).get("/api/docs").status_code == 403
    assert _client(people.county).get("/api/openapi.json").status_code == 403
    staff = f.user("integrator", (tree.county, "civil_affairs"), is_staff=True)
    page = _client(staff).get("/api/docs")
    assert page.status_code == 200
    body = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), f"everything from this site: {sources}"
    assert _client(staff).get("/api/openapi.json").json()["info"]["title"]
