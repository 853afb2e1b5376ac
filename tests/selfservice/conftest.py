"""The applicant's pages start from the case workflow's fixtures (a household in township A, the engine's answer)."""

from tests.cases.conftest import engine, fund, hh  # noqa: F401  (fixtures shared with the case workflow tests)
