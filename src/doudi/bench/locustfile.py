"""Locust scenario of ``doudi bench web`` (run by ``bench/web.py``; not imported by Django).

Each simulated user takes the next kind (city, county with two grants, township) and a pre-made session, waits
0.5–2 s between requests and works like a caseworker: home, the household list (first page, a deep page reached by
the jump, the last page), searches by a head's name and ID number, a household page, the case, payroll-line and
review lists. Every response is appended to ``DOUDI_BENCH_SAMPLES`` as [kind, page, ms, ok, time, error, in warm-up].
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

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


SIGNED_IN = b'action="/logout/"'  # the shell's sign-out form: on every signed-in page, not on the login page


class Caseworker(FastHttpUser):
    # FastHttpUser (geventhttpclient): the load generator shares the server's two cores, and the requests-based
    # HttpUser spent several times its CPU per request. Redirects are followed as a browser would (the ID search is
    # a redirect to the list behind a token, timed as one request, as before).
    wait_time = between(0.5, 2)

    def on_start(self):
        self.kind = next(KINDS)
        self.plan = PLAN[self.kind]
        self.cookie = f"sessionid={next(SESSIONS[self.kind])}"

    def context(self):
        return {"kind": self.kind}

    def _get(self, url, name, **params):
        if params:
            url = f"{url}?{urlencode(params)}"
        with self.client.get(url, name=name, headers={"Cookie": self.cookie}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {r.error or ''}"[:120])
            elif SIGNED_IN not in (r.content or b""):
                r.failure("signed out")

    def _household(self):
        return random.choice(self.plan["households"])

    @task(2)
    def home(self):
        self._get("/", "home")

    @task(3)
    def household_list(self):
        self._get("/registry/", "household_list")

    @task(2)
    def household_list_deep(self):
        self._get("/registry/", "household_list_deep", **{"from": self._household()["number"]})

    @task(1)
    def household_list_last(self):
        self._get("/registry/", "household_list_last", last="1")

    @task(2)
    def search_name(self):
        self._get("/registry/", "search_name", q=self._household()["name"])

    @task(2)
    def search_id(self):
        self._get("/registry/", "search_id", q=self._household()["id_number"])

    @task(3)
    def household_page(self):
        self._get(f"/registry/households/{self._household()['pk']}/", "household_page")

    @task(2)
    def case_list(self):
        self._get("/cases/", "case_list")

    @task(1)
    def payroll_lines(self):
        if self.plan["payrolls"]:
            self._get(f"/payments/{random.choice(self.plan['payrolls'])}/", "payroll_lines")

    @task(1)
    def review_list(self):
        self._get("/reviews/", "review_list")
