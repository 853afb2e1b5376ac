"""The house's arrows: apps import only downward and the rules engine stays pure (contracts in pyproject.toml,
explained in docs/architecture.md). A new import cycle or upward import fails here and in CI."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_imports_follow_the_layers_in_pyproject(capsys):
    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report
