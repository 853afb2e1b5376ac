"""The house's arrows: apps import only downward and the rules engine stays pure (contracts in pyproject.toml,
explained in docs/architecture.md). A new import cycle or upward import fails here and in CI."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_imports_follow_the_layers_in_pyproject(capsys):
    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report


# --- typed edges (issue 13 item 3) -------------------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "doudi"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _service_and_selector_modules() -> list[Path]:
    """services.py, selectors.py, *_services.py and everything under a services/ or selectors/ package."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).parts
        in_package = any(part in ("services", "selectors") for part in rel[:-1])
        if in_package or path.stem in ("services", "selectors") or path.stem.endswith("_services"):
            out.append(path)
    return out


def _step_handlers() -> set[tuple[str, str]]:
    """Effects and deadlines registered in a workflow's dispatch table keep their one uniform signature
    (``effect(actor, case, today, reason, data)``, ``deadline(case, today)``)."""
    from doudi.cases.workflow import registered_workflows

    handlers = set()
    for spec in registered_workflows().values():
        for fn in [*spec.effects.values(), *spec.deadlines.values()]:
            handlers.add((fn.__module__, fn.__name__))
    return handlers


def _public_functions():
    for path in _service_and_selector_modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                yield path, node


def test_the_scan_sees_the_service_and_selector_modules():
    names = {_module(p) for p in _service_and_selector_modules()}
    assert {"doudi.cases.services.transition", "doudi.registry.selectors", "doudi.payments.services",
            "doudi.administration.region_services"} <= names
    assert sum(1 for _ in _public_functions()) > 300


def test_public_services_and_selectors_are_keyword_only_after_the_first_argument():
    handlers = _step_handlers()
    assert ("doudi.cases.services.steps", "to_returned") in handlers  # the table is read, not empty
    offenders = []
    for path, fn in _public_functions():
        args = fn.args
        positional = [a.arg for a in [*args.posonlyargs, *args.args]]
        if (len(positional) > 1 or args.vararg) and (_module(path), fn.name) not in handlers:
            offenders.append(f"{_module(path)}.{fn.name}({', '.join(positional)})")
    assert not offenders, "make these keyword-only after the first argument (def f(x, *, ...)):\n" + "\n".join(
        offenders)


def test_public_services_and_selectors_type_actor_and_return():
    offenders = []
    for path, fn in _public_functions():
        args = fn.args
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if a.arg in ("actor", "user") and a.annotation is None:
                offenders.append(f"{_module(path)}.{fn.name}: untyped {a.arg}")
        if fn.returns is None:
            offenders.append(f"{_module(path)}.{fn.name}: no return type")
    assert not offenders, "\n".join(offenders)


def _date_today_calls(tree: ast.AST) -> list[int]:
    """Lines calling ``date.today()`` however the module spells it (``dt.date.today()``, ``date.today()``,
    ``datetime.date.today()``)."""
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "today"
                and not node.args):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name == "date":
                lines.append(node.lineno)
    return lines


def test_no_server_date_today_in_src():
    assert _date_today_calls(ast.parse("import datetime as dt\nx = dt.date.today()\ny = date.today()\n")) == [2, 3]
    found = [f"{path.relative_to(SRC.parent)}:{line}" for path in sorted(SRC.rglob("*.py"))
             for line in _date_today_calls(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "use timezone.localdate() (the local date, not the server's):\n" + "\n".join(found)


def _silent_broad_excepts(tree: ast.AST) -> list[int]:
    """``except:`` / ``except Exception`` / ``except BaseException`` handlers that neither raise nor log."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        names = [node.type] if not isinstance(node.type, ast.Tuple) else list(node.type.elts)
        broad = node.type is None or any(getattr(n, "id", "") in ("Exception", "BaseException") for n in names)
        if not broad:
            continue
        body = [n for stmt in node.body for n in ast.walk(stmt)]
        raises = any(isinstance(n, ast.Raise) for n in body)
        logs = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                   and getattr(n.func.value, "id", "") in ("logger", "logging", "log") for n in body)
        if not (raises or logs):
            lines.append(node.lineno)
    return lines


def test_no_silent_broad_except_in_src():
    sample = "try:\n    f()\nexcept Exception:\n    pass\ntry:\n    f()\nexcept Exception:\n    raise\n"
    assert _silent_broad_excepts(ast.parse(sample)) == [3]
    found = [f"{path.relative_to(SRC.parent)}:{line}" for path in sorted(SRC.rglob("*.py"))
             for line in _silent_broad_excepts(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "narrow the except, or log and re-raise:\n" + "\n".join(found)


def _bare_error_codes(tree: ast.AST) -> list[int]:
    """Lines raising a domain error with ``code="..."``: codes come from the app's ``Code`` enum (``errors.py``)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        domain = name.endswith("Error") or name in ("PermissionDenied", "IllegalTransition", "InvalidInput",
                                                      "NotFoundOrForbidden", "AuthorisationMissing")
        if not domain or name == "ValidationError":  # Django's own codes
            continue
        if any(k.arg == "code" and isinstance(k.value, ast.Constant) for k in node.keywords):
            lines.append(node.lineno)
    return lines


def test_error_codes_come_from_each_apps_enum():
    assert _bare_error_codes(ast.parse('raise CaseError("x", code="bad")\nraise CaseError("x", code=Code.BAD)')) == [1]
    found = [f"{path.relative_to(SRC.parent)}:{line}" for path in sorted(SRC.rglob("*.py"))
             for line in _bare_error_codes(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "add the code to the app's Code enum in errors.py:\n" + "\n".join(found)
