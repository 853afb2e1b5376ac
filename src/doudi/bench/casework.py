"""Casework on top of the registry bench's households, for the web bench: entitlements, this month's payroll per
township, applications and cases in every stage, review tasks. All of it by ``INSERT … SELECT`` inside PostgreSQL
(seconds for a million households), derived from the household id so a rebuild gives the same rows.

Shares (of households): 1 in 8 receives 低保 (1 in 40 of those in 渐退), 1 in 20 has a case (a third of them
finished), 1 in 4 entitlements has an open review task.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from doudi.bench.registry import CITY

STATES = ["submitted", "accepted", "verifying", "investigating", "township_reviewed", "public_notice",
          "decided_approved", "closed", "decided_rejected"]

SQL = [
    # The registry loader's TRUNCATE … CASCADE took the lines, cases and tasks; payrolls hang off regions only.
    "DELETE FROM payments_payroll WHERE region_id LIKE %(city)s",
    # 低保 for one household in eight.
    """
    INSERT INTO benefits_entitlement (household_id, program, status, monthly_fen, covered_members, start_month,
                                      basis_area, basis_care_level, income_rise_reason, payee_name, payee_bank_name,
                                      payee_bank_account, created_at)
    SELECT id, 'dibao', CASE WHEN id %% 40 = 0 THEN 'grace' ELSE 'active' END, 30000 + (id * 7919) %% 60000,
           1 + id %% 3, DATE '2024-01-01' + ((id %% 24) * INTERVAL '1 month'), '', '', '', '', '', '', now()
    FROM registry_household WHERE id %% 8 = 0
    """,
    # One approved payroll per township for this month.
    """
    INSERT INTO payments_payroll (region_id, program, month, batch, status, gen_state, cursor, total_count, done_count,
                                  line_count, total_fen, price_triggered, created_at)
    SELECT code, 'dibao', %(month)s, 1, 'approved', 'done', 0, 0, 0, 0, 0, false, now()
    FROM regions_region WHERE level = 'township' AND code LIKE %(city)s
    """,
    """
    INSERT INTO payments_payrollline (payroll_id, entitlement_id, household_id, region_code, program, month, kind,
        amount_fen, persons, policy_version, bank_name, bank_account, account_holder, reference, status, fail_reason,
        deducted_fen)
    SELECT p.id, e.id, h.id, h.region_id, 'dibao', %(month)s, 'regular', e.monthly_fen, e.covered_members, '',
           h.bank_name, h.bank_account, '', 'BENCH' || e.id, 'pending', '', 0
    FROM benefits_entitlement e JOIN registry_household h ON h.id = e.household_id
    JOIN payments_payroll p ON p.region_id = substr(h.region_id, 1, 9) || '000' AND p.month = %(month)s
    """,
    """
    UPDATE payments_payroll p SET line_count = s.n, total_fen = s.fen, total_count = s.n, done_count = s.n
    FROM (SELECT payroll_id, count(*) n, sum(amount_fen) fen FROM payments_payrollline GROUP BY payroll_id) s
    WHERE s.payroll_id = p.id
    """,
    # An application and a case for one household in twenty, in every stage of the standard workflow.
    """
    INSERT INTO cases_application (number, household_id, applicant_id, region_id, channel, place, programs,
        special_needs, commitment_signed, entrustment, missing_items, statement, relatives_flag, relatives_note,
        feedback, submitted_at)
    SELECT 'BENCH' || h.id, h.id, m.person_id, h.region_id, 'window', 'hukou', '["dibao"]', '[]', true, '', '[]', '',
           false, '', '', now() - ((h.id %% 90) * INTERVAL '1 day')
    FROM registry_household h JOIN registry_membership m ON m.household_id = h.id AND m.relationship = 'head'
    WHERE h.id %% 20 = 3
    """,
    """
    INSERT INTO cases_case (application_id, household_id, region_id, program, kind, workflow, state, authority_level,
        special_extension, verification_summary, amount_confirmed_reason, step_due, overall_due, accepted_on,
        created_at, updated_at)
    SELECT a.id, a.household_id, a.region_id, 'dibao', 'new', 'standard',
           (%(states)s::text[])[1 + a.household_id / 20 %% 9],
           'county', false, '', '', %(today)s + ((a.household_id %% 60)::int - 20),
           %(today)s + (a.household_id %% 60)::int,
           %(today)s - (a.household_id %% 30)::int, a.submitted_at, a.submitted_at
    FROM cases_application a WHERE a.number LIKE 'BENCH%%'
    """,
    # Open review tasks for one entitlement in four, due around today.
    """
    INSERT INTO reviews_reviewtask (entitlement_id, household_id, reason, key, category, due_on, status, note, outcome,
                                    outcome_reason, school_proof, created_at)
    SELECT e.id, e.household_id, 'periodic', 'bench:' || e.id, '', %(today)s + ((e.id %% 120)::int - 30), 'open',
           '', '', '', '', now()
    FROM benefits_entitlement e WHERE e.id %% 4 = 0
    """,
]

TABLES = ["benefits_entitlement", "payments_payroll", "payments_payrollline", "cases_application", "cases_case",
          "reviews_reviewtask"]


def build(today: dt.date) -> dict[str, int]:
    params = {"month": today.replace(day=1), "today": today, "city": CITY + "%", "states": STATES}
    with transaction.atomic(), connection.cursor() as cur:
        for sql in SQL:
            cur.execute(sql, params)
    with connection.cursor() as cur:
        for table in TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")
        counts = {}
        for table in TABLES:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cur.fetchone()[0]
    return counts
