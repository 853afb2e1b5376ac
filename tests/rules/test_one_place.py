"""A legal rule lives in one place: the engine compares with no literal age, multiple or deadline — they come from
the profile (or, for the civil-code majority, ``kinds.ADULT_AGE``)."""

from __future__ import annotations

import ast
from pathlib import Path

import doudi.rules

# ages, day and month counts of the national rules (1–6 are also disability grades and self-care activity counts,
# which are the classification itself, S2 Art 5 and 22)
AGES_AND_DAYS = {7, 10, 12, 15, 16, 18, 20, 24, 30, 45, 60, 65, 70}
GENERATORS = {"synthetic.py", "bench.py"}  # test data, not rules


def test_no_rule_figure_is_written_in_a_comparison():
    found = []
    for path in Path(doudi.rules.__file__).parent.glob("*.py"):
        if path.name in GENERATORS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                found += [f"{path.name}:{node.lineno} {o.value}" for o in operands
                          if isinstance(o, ast.Constant) and type(o.value) is int and o.value in AGES_AND_DAYS]
    assert not found
