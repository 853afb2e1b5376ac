"""One rule, one place (issue 8 item 1): the legal figures — working and 特困 ages, phase-out months, temporary
bands and thresholds — live in ``doudi.rules`` and the policy profiles. This test fails when one reappears in
another app: an age compared with a literal, or a module constant named after a rule holding one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import doudi

ROOT = Path(doudi.__file__).parent
# Outside the engine and the profiles; test-data generators and migrations are not rules.
SKIP_DIRS = {"rules", "migrations", "demo", "bench"}
SKIP_FILES = {"synthetic.py", "settings.py"}  # settings: deployment configuration, not rules
AGES = {16, 18, 55, 60, 65, 70, 75, 80}
AGE_WORDS = re.compile(r"age|birth|年龄|老年", re.I)
RULE_NAMES = re.compile(r"(WORK_AGE|LABOU?R|MIN_AGE|MAX_AGE|ELDERLY|GRACE_\w*MONTHS|TEMP\w*(LIMIT|CAP|BAND)|"
                        r"CASE_CONFERENCE|RESERVE|PURCHASED|EMERGENCY_HOURS|TEKUN_MULTIPLE)", re.I)


def _files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in SKIP_DIRS or path.name in SKIP_FILES or "migrations" in rel.parts:
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _ints(node) -> set[int]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and type(n.value) is int}


def test_no_age_is_compared_with_a_literal_outside_the_engine():
    found = []
    for rel, tree in _files():
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                literal = {o.value for o in operands if isinstance(o, ast.Constant) and type(o.value) is int}
                if literal & AGES and any(AGE_WORDS.search(ast.unparse(o)) for o in operands):
                    found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    assert not found, "ages belong to doudi.rules and the profiles: " + "; ".join(found)


def test_no_rule_constant_is_defined_outside_the_engine():
    found = []
    for rel, tree in _files():
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name) and RULE_NAMES.search(t.id) and node.value is not None and _ints(node.value):
                    found.append(f"{rel}:{node.lineno} {t.id}")
    assert not found, "rule figures belong to doudi.rules and the profiles: " + "; ".join(found)


def test_the_scan_would_catch_the_old_review_copy():
    old = ast.parse("WORK_AGE = (16, 60)\nable = WORK_AGE[0] <= _age(birth, as_of) < 60\n")
    compare = next(n for n in ast.walk(old) if isinstance(n, ast.Compare))
    assert {60} <= _ints(compare) and AGE_WORDS.search(ast.unparse(compare))
    assert RULE_NAMES.search("WORK_AGE")
