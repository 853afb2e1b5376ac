"""Every link a user is shown leads somewhere: crawl the demo as each role and expect no 4xx or 5xx.

A link to a page the user may not open (a full record for department staff, an import page for an auditor) is a
dead end for them and a hint about data they cannot see; scoping must hide the link, not only refuse the page.
"""

from __future__ import annotations

import collections
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from doudi.accounts.models import User

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static", "/logout", "/i18n", "/admin/logout", "/api/")
ROLES = ["township", "township2", "village", "county", "city", "medical", "auditor", "admin", "applicant"]


def _crawl(client: Client, limit: int = 150, per_pattern: int = 2) -> list[tuple[str, int, str]]:
    seen: set[str] = set()
    queue = collections.deque([("/", "")])
    per_key: collections.Counter = collections.Counter()
    broken = []
    while queue and len(seen) < limit:
        url, referrer = queue.popleft()
        if url in seen or url.startswith(SKIP) or "export" in url or url.endswith((".pdf", ".xlsx", ".csv")):
            continue
        key = re.sub(r"\d+", "N", url.split("?")[0])
        if per_key[key] >= per_pattern:
            continue
        per_key[key] += 1
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            broken.append((url, response.status_code, referrer))
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in HREF.findall(response.content.decode()):
                queue.append((link.replace("&amp;", "&"), url))
    return broken


@pytest.mark.django_db(transaction=True)
def test_every_link_shown_to_each_role_opens():
    call_command("demo", "--no-serve", "--households", "500", "--seed", "3", stdout=io.StringIO())
    broken = {}
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        found = _crawl(client)
        if found:
            broken[username] = found
    assert broken == {}
