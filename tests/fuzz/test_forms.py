"""No HTML form answers a server error, whatever is typed into it (issue 9, item 5).

The forms are found, not listed: the demo is built, every role's pages are crawled from the home page (like
tests/test_no_dead_links.py), and every ``<form method="post">`` (and every ``hx-post``) found on them is collected
with its fields. Hypothesis then fills each form with absurd values a user or an attacker might send — huge numbers
and IDs, non-numeric counts, impossible and out-of-range dates (0, 99999, 2099), letters in bank accounts, formula
strings, NUL bytes, very long text — posted as that role. A server error, or a raw Python error shown on the page,
fails the test; a new form is covered as soon as a page shows it.
"""

from __future__ import annotations

import collections
import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from doudi.accounts.models import User

ROLES = ["county", "township", "village", "admin", "applicant", "medical", "auditor"]
SKIP_ACTIONS = ("/logout/", "/i18n/", "/login/", "/admin/")
EXAMPLES = int(os.environ.get("DOUDI_FUZZ_EXAMPLES", "8"))
DERANDOMIZE = "DOUDI_FUZZ_EXAMPLES" not in os.environ

ABSURD = [
    "9" * 30, "99999999999999999999", "-1", "0", "1e400", "NaN", "Infinity", "-0.001", "0.005", "１２３", "١٢٣",
    "abc", "十二", "", " ", "12abc34", "6222 0202 0202 X", "ABCDEFGHIJKLMNOP",
    "0", "99999", "2099-12-31", "0000-00-00", "0001-01-01", "99999-01-01", "2026-02-30", "2026-13-01", "1899-12-31",
    "20260101", "2026/01/01", "2026-1", "9999-99",
    '=HYPERLINK("http://x","点我")', "@SUM(1+1)", "+86 138", "\x00", "a\x00b", "<script>alert(1)</script>",
    "' OR 1=1 --", "x" * 5000, "\u202e", "😀",
]
RAW_ERROR = re.compile(r"Traceback|Exception Value|Error:|invalid literal|object has no attribute|NoneType")


@dataclass
class Form:
    url: str  # page it was found on
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values seen on the page
    files: list[str] = field(default_factory=list)
    htmx: bool = False

    @property
    def key(self) -> tuple:
        return (re.sub(r"\d+", "N", self.action), tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.current, self.select = url, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method, hx = (a.get("method") or "get").lower(), a.get("hx-post")
            if method == "post" or hx:
                self.current = Form(self.url, hx or a.get("action") or self.url, htmx=bool(hx))
                self.forms.append(self.current)
            else:
                self.current = None
        elif self.current is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind == "file":
                self.current.files.append(a["name"])
            elif kind not in ("submit", "button", "reset", "image"):
                self.current.fields.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self.current.fields.setdefault(a["name"], []).append("")
        elif tag == "select":
            self.select = self.current.fields.setdefault(a["name"], [])
        elif tag == "button" and a.get("value"):
            self.current.fields.setdefault(a["name"], []).append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        pass

    def unknown_decl(self, data):
        pass


class OptionParser(FormParser):
    def handle_starttag(self, tag, attrs):
        if tag == "option" and self.select is not None:
            self.select.append(dict(attrs).get("value") or "")
            return
        super().handle_starttag(tag, attrs)


def crawl(client: Client, limit: int = 120, per_pattern: int = 2) -> list[Form]:
    seen, forms = set(), {}
    queue = collections.deque(["/"])
    per_key: collections.Counter = collections.Counter()
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(("/static", "/logout", "/i18n", "/admin", "/api")) or "export" in url \
                or url.endswith((".pdf", ".xlsx", ".csv")):
            continue
        key = re.sub(r"\d+", "N", url.split("?")[0])
        if per_key[key] >= per_pattern:
            continue
        per_key[key] += 1
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        parser = OptionParser(url)
        parser.feed(body)
        for form in parser.forms:
            if not form.action.startswith(SKIP_ACTIONS):
                forms.setdefault(form.key, form)
        for link in re.findall(r'href="(/[^"#]*)"', body):
            queue.append(link.replace("&amp;", "&"))
    return list(forms.values())


def value_strategy(seen: list[str]) -> st.SearchStrategy:
    real = [v for v in seen if v]
    return st.one_of(
        st.sampled_from(real) if real else st.just(""),
        st.sampled_from(ABSURD),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.text(max_size=30),
    )


def form_data(form: Form) -> st.SearchStrategy:
    return st.fixed_dictionaries({name: value_strategy(seen) for name, seen in form.fields.items()})


def post(client: Client, form: Form, data: dict):
    payload = dict(data)
    for name in form.files:
        payload[name] = SimpleUploadedFile("x.csv", b"=1+1,\x00\n", content_type="text/csv")
    headers = {"HTTP_HX_REQUEST": "true"} if form.htmx else {}
    return client.post(form.action, payload, **headers)


def fuzz(client: Client, username: str, form: Form) -> str | None:
    """Run the examples for one form; the (shrunk) failure as text, so every form is tried and all are reported."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=form_data(form))
    def fill(data):
        response = post(client, form, data)
        assert response.status_code < 500, (username, form.action, data)
        if "text/html" in response.get("Content-Type", ""):
            found = RAW_ERROR.search(response.content.decode())
            assert found is None, (username, form.action, found.group(0) if found else "", data)

    try:
        fill()
    except Exception as exc:
        return f"{username} POST {form.action} (found on {form.url}): {type(exc).__name__}: {exc}"[:2000]
    return None


@pytest.mark.django_db(transaction=True)
def test_no_form_answers_a_server_error_or_shows_python_errors():
    call_command("demo", "--no-serve", "--households", "120", "--seed", "5", stdout=io.StringIO())
    checked, failures = [], []
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for form in crawl(client):
            checked.append((username, form.action))
            failure = fuzz(client, username, form)
            if failure:
                failures.append(failure)
    if os.environ.get("DOUDI_FUZZ_VERBOSE"):
        print("\n".join(f"{user}: {action}" for user, action in checked))
    assert len(checked) >= 25, f"only {len(checked)} forms found: the crawl no longer reaches the screens"
    assert failures == [], "\n\n".join(failures)
