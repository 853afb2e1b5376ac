"""The director's desk and the statutory reports: dashboards over ``doudi.statistics`` aggregates, and the monthly
and quarterly social-assistance reports computed from the payroll (reconciled to the fen) into stored reports."""
