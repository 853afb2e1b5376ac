"""Exactly once on PostgreSQL: two operators at once, and a kill -9 in the middle of a run, never pay twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.models import Count

from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollLine
from doudi.payments.services import payroll_create
from tests.payments.conftest import M, dibao

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _population(hh, n):
    return [dibao(hh()) for _ in range(n)]


def _assert_once(payroll, n):
    dup = (PayrollLine.objects.values("entitlement_id", "month", "kind").annotate(c=Count("id"))
           .filter(c__gt=1))
    assert not dup.exists()
    payroll.refresh_from_db()
    assert (payroll.line_count, payroll.done_count, payroll.total_count, payroll.gen_state) == (n, n, n, "done")
    assert PayrollLine.objects.filter(payroll=payroll).count() == n


def test_two_operators_at_once(tree, people, hh):
    _population(hh, 40)
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    errors = []

    def worker():
        try:
            payroll_generate(payroll_id=p.pk, chunk_size=3, after_insert=lambda c: time.sleep(0.01))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    _assert_once(p, 40)


def test_kill_9_mid_run_then_resume(tree, people, hh):
    _population(hh, 30)
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DJANGO_SETTINGS_MODULE": "doudi.settings"}
    code = (
        "import django, time; django.setup();"
        "from doudi.payments.generation import payroll_generate;"
        f"payroll_generate(payroll_id={p.pk}, chunk_size=4, after_insert=lambda c: time.sleep(0.5))"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=root)
    deadline = time.time() + 60
    while time.time() < deadline:
        done = Payroll.objects.get(pk=p.pk).done_count
        if done >= 8:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # kill -9 while a chunk's transaction is open (it sleeps inside it)
    proc.wait()
    p.refresh_from_db()
    assert 8 <= p.done_count < 30 and p.gen_state == "running"
    assert PayrollLine.objects.filter(payroll=p).count() == p.done_count  # the open chunk rolled back
    payroll_generate(payroll_id=p.pk)
    payroll_generate(payroll_id=p.pk)  # and once more: nothing changes
    _assert_once(p, 30)
