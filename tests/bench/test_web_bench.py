"""``doudi bench web`` builds its city and every page of its mix answers, for each kind of user.

The bench is not part of the timed suite, so nothing else notices when it rots: a column added to review tasks once
broke its casework ``INSERT`` and the bench stopped before measuring anything. Here it builds a small city (the same
loader and casework as a million households), makes its users and sessions, and opens every page of the Locust mix
through Django as each simulated user would (session cookie, redirects followed), as signed-in pages with content.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from doudi.bench import mix, web
from doudi.regions.models import Region
from doudi.registry.models import Household


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_bench_builds_and_every_page_of_its_mix_answers_for_every_kind():
    built = web._build(400, 200, rebuild=False)
    # Casework on top of the registry: 低保 for one household in 8 (one payroll line each), a case for one in 20, an
    # open review task for one entitlement in 4.
    assert built["benefits_entitlement"] == 50
    assert built["payments_payrollline"] == 50
    assert built["cases_case"] == 20
    assert built["reviews_reviewtask"] in (12, 13)  # entitlement ids divisible by 4
    assert web._build(400, 200, rebuild=False) == {}  # a second run reuses what is there

    plan = web._users_and_sessions()
    assert set(plan) == set(web.KINDS)
    for kind, p in plan.items():
        assert p["households"], kind
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = p["sessions"][0]
        for page, (_weight, path) in mix.PAGES.items():
            for household in (p["households"][0], p["households"][-1]):
                url = path(p, household)
                if url is None:
                    continue
                r = client.get(url, follow=True)
                assert r.status_code == 200, (kind, page, url, r.status_code)
                assert mix.SIGNED_IN in r.content, (kind, page, url)
        # The households a simulated user opens are in their own area.
        regions = set(Household.objects.filter(pk__in=[h["pk"] for h in p["households"]])
                      .values_list("region_id", flat=True))
        grants = tuple(Region.objects.get(code=code).prefix for code in web.KINDS[kind][1])
        assert all(region.startswith(grants) for region in regions), kind


@pytest.mark.postgres
@pytest.mark.django_db
def test_server_settings_and_machine_are_reported():
    settings = web._server_settings()
    assert set(settings) == set(web.SERVER_SETTINGS)
    assert settings["shared_buffers"].endswith(("kB", "MB", "GB"))
    machine = web._machine()
    assert machine["cpus"] >= 1 and machine["memory_gb"] > 0


def test_cpu_of_a_process_tree_keeps_children_that_ended():
    """A worker recycled or a backend closed during the run must not take its CPU with it."""
    before = web._tree_cpu(os.getpid())
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)  # runs, ends and is reaped
    assert web._tree_cpu(os.getpid()) - before >= 0.3
