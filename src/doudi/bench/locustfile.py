"""Locust scenario of ``doudi bench web`` (run by ``bench/web.py``; not imported by Django).

Each simulated user takes the next kind (city, county with two grants, township) and a pre-made session, waits
0.5–2 s between requests (``bench/mix.py``) and works like a caseworker: home, the
household list (first page, a deep page reached by the jump, the last page), searches by a head's name and ID
number, a household page, the case, payroll-line and review lists. Every response is appended to
``DOUDI_BENCH_SAMPLES`` as [kind, page, ms, ok, time, error, in warm-up].
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

from doudi.bench.mix import PAGES, SIGNED_IN, THINK_SECONDS

PLAN = json.loads(open(os.environ["DOUDI_BENCH_PLAN"], encoding="utf-8").read())
SAMPLES = open(os.environ["DOUDI_BENCH_SAMPLES"], "a", encoding="utf-8")
WARMUP_UNTIL = time.time() + float(os.environ.get("DOUDI_BENCH_WARMUP", "10"))
KINDS = itertools.cycle(sorted(PLAN))
SESSIONS = {kind: iter(plan["sessions"]) for kind, plan in PLAN.items()}


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, context, **kwargs):
    kind = (context or {}).get("kind", "?")
    SAMPLES.write(json.dumps([kind, name, round(response_time, 2), exception is None, time.time(),
                              str(exception)[:120] if exception else "", time.time() < WARMUP_UNTIL],
                             ensure_ascii=False) + "\n")


@events.quitting.add_listener
def close(environment, **kwargs):
    SAMPLES.flush()


def _task(page: str):
    def open_page(user) -> None:
        user.visit(page)

    open_page.__name__ = page
    return open_page


class Caseworker(FastHttpUser):
    # FastHttpUser (geventhttpclient): the load generator shares the server's two cores, and the requests-based
    # HttpUser spent several times its CPU per request. Redirects are followed as a browser would (the ID search is
    # a redirect to the list behind a token, timed as one request, as before).
    wait_time = between(*THINK_SECONDS)

    def on_start(self):
        self.kind = next(KINDS)
        self.plan = PLAN[self.kind]
        self.cookie = f"sessionid={next(SESSIONS[self.kind])}"

    def context(self):
        return {"kind": self.kind}

    def visit(self, page: str) -> None:
        path = PAGES[page][1](self.plan, random.choice(self.plan["households"]))
        if path is None:
            return
        with self.client.get(path, name=page, headers={"Cookie": self.cookie}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {r.error or ''}"[:120])
            elif SIGNED_IN not in (r.content or b""):
                r.failure("signed out")

    # One task per page of the mix, with its weight (Locust reads ``tasks`` when the class is made).
    tasks = {_task(page): weight for page, (weight, _path) in PAGES.items()}
