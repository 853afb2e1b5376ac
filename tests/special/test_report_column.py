"""The statutory report counts the special-group programs in their own column, not as 临时救助 (the catch-all)."""

from __future__ import annotations

from doudi.reports.compute import _add_money, _add_people, _empty


def test_special_programs_have_their_own_report_column():
    row = _empty()
    for program, fen in (("orphan", 140_000), ("disabled_living", 12_000), ("disabled_care", 12_000)):
        _add_money(row, {"program": program, "household__area_type": "rural", "fen": fen, "paid": fen, "n": 1})
        _add_people(row, {"program": program, "household__area_type": "rural", "h": 1, "p": 1})
    # money per program here; the column's persons are counted once across its programs by ``compute`` (one query,
    # distinct persons: tests/reports/test_statutory.py), so the per-program rows add none
    assert row["special_fen"] == 164_000 and row["special_persons"] == 0
    assert row["temporary_fen"] == row["temporary_times"] == 0 and row["rural_fen"] == 0
    assert row["due_fen"] == row["paid_fen"] == 164_000
