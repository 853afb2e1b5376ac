"""Shared fixtures: a small jurisdiction tree and the three people every permission test needs —
an owner (caseworker of township A), a colleague (caseworker of township B) and an outsider (no grants)."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from tests import factories as f
from tests import schema_cache

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The migrated SQLite test database is built once and copied into each test process (tests/schema_cache.py).
schema_cache.install()

# The test files that take longest (CPU seconds on 2 quiet cores, docs/benchmarks.md "Test suite"), longest first.
# They are started first so that, in parallel, the last minutes are not one long file on one worker while the other
# waits (pytest-xdist's own order, by number of tests, put the one-test files — the form fuzzer, the Spark comparison
# — last). Files not listed keep the collection order after them. A list, not a measurement at run time: a file
# that becomes slow only costs some idle time at the end until it is added here.
LONGEST_FIRST = (
    "tests/security/test_matrix.py",
    "tests/demo/test_demo_city.py",
    "tests/fuzz/test_forms.py",
    "tests/monitoring/test_engines.py",
    "tests/fuzz/test_api_schema.py",
    "tests/rules/test_row_engine.py",
    "tests/browser/test_case_flow.py",
    "tests/demo/test_demo.py",
    "tests/monitoring/test_rule_cases.py",
    "tests/rules/test_grace.py",
)


def pytest_configure(config):
    # ``--dist loadfile`` hands out whole files; by default pytest-xdist sorts them by number of tests first, which
    # defeats LONGEST_FIRST (``--no-loadscope-reorder`` on the command line does the same as this line).
    if getattr(config.option, "loadscopereorder", None) is not None:
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        # One process: the order gains nothing, and pytest-django's (transactional tests last) is kept.
        return
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: the rest keep order


def pytest_runtest_setup(item):
    # The ``postgres`` marker (pyproject.toml: "needs PostgreSQL (skipped on SQLite)") skips by itself, so a test file
    # does not need its own vendor check.
    if item.get_closest_marker("postgres") is not None:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL")


@pytest.fixture
def tree(db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town_a = f.region("150702001000", "甲镇", "township", county)
    town_b = f.region("150702002000", "乙镇", "township", county)
    village_a = f.region("150702001001", "甲村", "village", town_a)
    village_a2 = f.region("150702001002", "甲社区", "village", town_a, "urban")
    village_b = f.region("150702002001", "乙村", "village", town_b)
    return SimpleNamespace(
        province=province,
        city=city,
        county=county,
        town_a=town_a,
        town_b=town_b,
        village_a=village_a,
        village_a2=village_a2,
        village_b=village_b,
    )


@pytest.fixture
def people(tree):
    return SimpleNamespace(
        owner=f.user("owner", (tree.town_a, "township_caseworker"), display_name="甲镇经办员"),
        colleague=f.user("colleague", (tree.town_b, "township_caseworker"), display_name="乙镇经办员"),
        outsider=f.user("outsider"),
        county=f.user("county", (tree.county, "civil_affairs")),
        auditor=f.user("auditor", (tree.city, "auditor")),
    )


@pytest.fixture
def village_user(tree):
    """A village assistant (村协理员) of village A: may change things in the village, nothing above it."""
    return f.user("assistant", (tree.village_a, "village_assistant"), display_name="甲村协理员")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; the tests are about permissions, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A test that switched a client to English leaves English active in its thread; the next test starts in the
    default language, as a new request would."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
