"""The demo city as ``doudi demo`` builds it (600 households, seed 11: population, recipients, caseload, users), built
once for the module: the recipients are the ones the engine finds eligible, the payroll pays what it decided, the
caseload was made through the services, and every link a user is shown opens.

A link to a page the user may not open (a full record for department staff, an import page for an auditor) is a
dead end for them and a hint about data they cannot see; scoping must hide the link, not only refuse the page.
"""

from __future__ import annotations

import collections
import io
import itertools
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from doudi.accounts.models import User
from doudi.benefits.models import Entitlement
from doudi.registry.models import Household
from tests.demo.conftest import shared_data

pytestmark = pytest.mark.django_db


def _build() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker) -> str:
    """The demo city; its value is what the command printed."""
    yield from shared_data(django_db_blocker, _build)


def test_demo_recipients_are_the_households_the_engine_finds_eligible(demo_city):
    # the basic-living entitlements the engine decided (a carer's fee, doudi.care, has no evaluation)
    entitlements = list(Entitlement.objects.filter(program__in=["dibao", "dibao_single", "tekun"])
                        .select_related("evaluation"))
    assert entitlements, "a 600-household demo has some recipients"
    for ent in entitlements:
        result = ent.evaluation.result
        if ent.program == "dibao":
            assert result["dibao"]["eligible"] and ent.monthly_fen == result["dibao"]["amount_fen"] > 0
            assert ent.monthly_fen % 100 == 0  # rounded to the yuan
        elif ent.program in ("tekun", "dibao_single"):
            # one entitlement per person, at that person's own amount (特困: own care tier)
            person = next(p for p in result["persons"] if int(p["id"]) == ent.person_id)
            assert person["program"] == ent.program and ent.monthly_fen == person["monthly_fen"] > 0
            assert ent.basis_care_level == (person["care_tier"] if ent.program == "tekun" else "")
        assert ent.start_month.day == 1
    tekun: dict[int, int] = {}
    for ent in entitlements:
        if ent.program == "tekun":
            tekun[ent.household_id] = tekun.get(ent.household_id, 0) + ent.monthly_fen
    for hid, total in tekun.items():
        result = next(e.evaluation.result for e in entitlements if e.household_id == hid)
        assert total == result["tekun"]["basic_fen"] + result["tekun"]["care_fen"]


def test_payroll_recomputed_from_the_basis_pays_what_the_engine_decided(demo_city):
    """The payroll recomputes each amount from the entitlement's basis under the month's parameters; in the month
    of the decision that must give back exactly the engine's amount, to the fen."""
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import PayrollLine
    from doudi.payments.services import payroll_create

    county = User.objects.get(username="county")
    for program in ("dibao", "dibao_single", "tekun"):
        payroll = payroll_create(actor=county, region_code="150702000000", program=program, month="2026-11")
        payroll_generate(payroll_id=payroll.pk, actor=county)
    lines = list(PayrollLine.objects.select_related("entitlement"))
    assert lines
    for line in lines:
        assert line.amount_fen == line.entitlement.monthly_fen, line.entitlement.program


def _caseload_counts() -> dict[str, int]:
    from doudi.cases.models import Application, Case, Feedback, Transition
    from doudi.referrals.models import Referral
    from doudi.relatives.models import CadreRelative
    from doudi.temporary.models import FundMovement, ReserveFund
    from doudi.verification.models import Authorisation, VerificationRequest

    models = (Application, Case, Transition, Feedback, CadreRelative, FundMovement, ReserveFund, Referral,
              Authorisation, VerificationRequest, Entitlement)
    return {m.__name__: m.objects.count() for m in models}


def test_demo_opens_on_a_caseload_made_through_the_services(demo_city):
    from django.utils import timezone

    from doudi.cases import selectors
    from doudi.cases.models import Application, Case, Transition
    from doudi.referrals.models import Referral
    from doudi.temporary.models import FundMovement, ReserveFund

    assert "办理中的申请" in demo_city  # what ``doudi demo`` printed when it built the city
    township = User.objects.get(username="township")
    cases = list(selectors.case_list(actor=township))
    assert len({c.state for c in cases}) >= 5, Counter(c.state for c in cases)
    assert all(c.region_id.startswith("150702100") for c in cases)
    # every state was reached by case_transition: one Transition row per step, none skipped
    for case in Case.objects.exclude(state="submitted"):
        steps = list(case.transitions.order_by("at", "id").values_list("from_state", "to_state"))
        assert steps and steps[-1][1] == case.state
        assert all(a[1] == b[0] for a, b in itertools.pairwise(steps))
    assert not Transition.objects.filter(case__state="submitted").exists()
    # the reserve fund: 60 000 yuan in, one same-day advance payment out
    fund = ReserveFund.objects.get(region_id="150702100000")
    draws = FundMovement.objects.filter(fund=fund, kind="draw")
    assert draws.count() == 1 and fund.balance_fen == 6_000_000 - draws.get().amount_fen
    assert draws.get().case.state == "advance_paid"
    # the medical-security department has referrals in its inbox, one of them overdue
    medical = User.objects.get(username="medical")
    inbox = Referral.objects.restrict(medical)
    assert inbox.exists() and inbox.overdue(timezone.localdate()).exists()
    assert set(inbox.values_list("department", flat=True)) == {"medical_security"}
    # the applicant follows their own application from the phone
    applicant = User.objects.get(username="applicant")
    mine = Application.objects.filter(household__memberships__person=applicant.person, channel="self_service")
    assert mine.exists() and mine.first().feedback_items.exists()

    before = _caseload_counts()
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", stdout=out)
    assert "已有演示案件" in out.getvalue()
    assert _caseload_counts() == before

    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", "--reset", stdout=io.StringIO())
    assert Household.objects.count() == 600
    assert _caseload_counts() == before  # same population, same caseload


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


def test_every_link_shown_to_each_role_opens(demo_city):
    broken = {}
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        found = _crawl(client)
        if found:
            broken[username] = found
    assert broken == {}


def test_demo_special_group_recipients_are_what_the_engine_decided(demo_city):
    """Every special-group program has demo recipients (so the screens show something), each the engine's own
    person and amount; the payroll pays exactly that."""
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import PayrollLine
    from doudi.payments.services import payroll_create

    county = User.objects.get(username="county")
    for program in ("orphan", "disabled_living", "disabled_care"):
        ents = list(Entitlement.objects.filter(program=program).select_related("evaluation"))
        assert ents, program
        for ent in ents:
            person = next(p for p in ent.evaluation.result["persons"] if int(p["id"]) == ent.person_id)
            assert person["special"][program]["eligible"]
            assert ent.monthly_fen == person["special"][program]["monthly_fen"] > 0
        month = max(e.start_month for e in ents)
        payroll = payroll_create(actor=county, region_code="150702000000", program=program, month=month)
        payroll_generate(payroll_id=payroll.pk, actor=county)
        paid = {ln.entitlement_id: ln.amount_fen for ln in PayrollLine.objects.filter(payroll=payroll, kind="regular")}
        assert paid == {e.pk: e.monthly_fen for e in ents}
