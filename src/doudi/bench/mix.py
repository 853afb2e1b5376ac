"""How a simulated caseworker of ``doudi bench web`` works: the pages of the mix, how often each is opened (Locust
task weights) and the pause between two clicks.

Shared by the locustfile (which drives the real server) and the bench's own test (which opens every page of the mix
through Django, so a page the bench measures cannot silently break). Pure: no Django, no Locust.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

THINK_SECONDS = (0.5, 2.0)  # a user's pause between an answer and the next click (uniform)

# The path to open for a user of one kind (its plan from bench/web.py) and one of its households; None: skip.
PathFor = Callable[[dict, dict], str | None]


def _registry(**params) -> str:
    return f"/registry/?{urlencode(params)}" if params else "/registry/"


PAGES: dict[str, tuple[int, PathFor]] = {  # page: (weight, path)
    "home": (2, lambda plan, h: "/"),
    "household_list": (3, lambda plan, h: _registry()),
    "household_list_deep": (2, lambda plan, h: _registry(**{"from": h["number"]})),  # 跳至 a household number
    "household_list_last": (1, lambda plan, h: _registry(last="1")),
    "search_name": (2, lambda plan, h: _registry(q=h["name"])),
    "search_id": (2, lambda plan, h: _registry(q=h["id_number"])),  # a redirect to the list behind a token
    "household_page": (3, lambda plan, h: f"/registry/households/{h['pk']}/"),
    "case_list": (2, lambda plan, h: "/cases/"),
    "payroll_lines": (1, lambda plan, h: f"/payments/{plan['payrolls'][h['pk'] % len(plan['payrolls'])]}/"
                      if plan["payrolls"] else None),
    "review_list": (1, lambda plan, h: "/reviews/"),
}

# The shell's sign-out form: on every signed-in page, not on the login page.
SIGNED_IN = b'action="/logout/"'
