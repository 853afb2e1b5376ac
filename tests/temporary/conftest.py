"""Temporary assistance starts from the case workflow's fixtures (a household in township A, a funded reserve)."""

from tests.cases.conftest import engine, fund, hh  # noqa: F401  (fixtures shared with the case workflow tests)
