-- The monitoring matching job (低收入人口动态监测比对): ONE definition, run unchanged by DuckDB (one server) and by
-- Spark SQL (a province or the nation). docs/monitoring.md describes the tables; docs/decisions.md why plain SQL.
--
-- Inputs (Parquet, integer keys and codes only; no resident ID, name or account number ever enters):
--   persons(pkey, hkey, cats, paid, pflags)             one row per person and household they belong to
--   households(hkey, vkey, prof, cats, paid, hflags, std, counted, income, acct)
--   records(rkey, feed, pkey, hkey, vkey, mon, cbit, amount, grade, item)   department rows, one per row and household
--         of its person (the export resolves person → household once; hkey 0: a village row, pkey 0, or a person
--         outside the database), sorted by feed and month so that each part below reads only its feeds' row groups
--   rules(rule_id, spec, prof, kind, feed, codes, min_mon, max_mon, bucket, win, threshold, share_bp, line_bp,
--         min_count, max_grade, cats, xcats, paid, pflags, hflags)  one row per rule in force per profile
-- Output: one row per hit (rule_id, hkey, vkey, pkey, rkey, bucket, mon, measure), vkey being the village; the store makes it a warning keyed by
-- rule, household, person and trigger (rkey for a row, bucket for a period), so a re-run never alerts twice.
--
-- Kept portable on purpose: joins, comparisons, +, -, * and the bitwise & only; no date functions and no integer
-- division (they differ between dialects); windows and periods arrive precomputed in the rules table.
-- A household's profile is compared as "h.prof - r.prof = 0", not "h.prof = r.prof": as an equality it invites a
-- planner to pair every rule with every household of its profile before looking at the department rows (measured:
-- 3× slower on DuckDB); as arithmetic it stays a filter on rows already joined by their keys.

WITH
-- The totals the aggregate kinds need, per household, in one pass over the rows of their feeds (the rows carry
-- their household, so no person join); the household filters are applied to the (much smaller) totals below.
-- Rules over the same rows (same spec) share one aggregation.
specs AS (
  SELECT DISTINCT spec, kind, feed, codes, min_mon, max_mon FROM rules WHERE kind IN ('sum', 'income_over_line')
),
sums AS (
  SELECT s.spec, d.hkey, CAST(SUM(d.amount) AS BIGINT) AS total, MAX(d.mon) AS mon
  FROM specs s
  JOIN records d
    ON d.feed = s.feed AND (s.codes = 0 OR (d.cbit & s.codes) <> 0) AND d.mon >= s.min_mon AND d.mon <= s.max_mon
  WHERE s.kind = 'sum' AND d.hkey <> 0
  GROUP BY s.spec, d.hkey
),
incomes AS (
  SELECT s.spec, d.hkey, CAST(SUM(d.amount) AS BIGINT) AS total, COUNT(DISTINCT d.mon) AS months, MAX(d.mon) AS mon
  FROM specs s
  JOIN records d
    ON d.feed = s.feed AND (s.codes = 0 OR (d.cbit & s.codes) <> 0) AND d.mon >= s.min_mon AND d.mon <= s.max_mon
  WHERE s.kind = 'income_over_line' AND d.hkey <> 0
  GROUP BY s.spec, d.hkey
),
holdings AS (
  SELECT r.rule_id, d.hkey, COUNT(DISTINCT d.item) AS items, MAX(d.mon) AS mon
  FROM rules r
  JOIN records d
    ON d.feed = r.feed AND (r.codes = 0 OR (d.cbit & r.codes) <> 0) AND d.mon >= r.min_mon AND d.mon <= r.max_mon
   AND d.amount >= r.threshold
  WHERE r.kind = 'holdings' AND d.hkey <> 0
  GROUP BY r.rule_id, d.hkey
),
accounts AS (
  SELECT r.rule_id, h.acct, COUNT(*) AS n
  FROM rules r
  JOIN households h ON h.acct <> 0
  WHERE r.kind = 'shared_account'
    AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0 AND (r.paid < 0 OR h.paid = r.paid)
  GROUP BY r.rule_id, h.acct
),
-- A person in several households: only persons listed at least the smallest min_count times can count that many
-- distinct households (a cheap first cut before the distinct count).
listed AS (
  SELECT pkey FROM persons GROUP BY pkey
  HAVING COUNT(*) >= (SELECT MIN(min_count) FROM rules WHERE kind = 'duplicate_person')
),
memberships AS (
  SELECT r.rule_id, p.pkey, COUNT(DISTINCT p.hkey) AS n
  FROM listed l
  JOIN persons p ON p.pkey = l.pkey
  JOIN rules r ON r.paid < 0 OR p.paid = r.paid
  WHERE r.kind = 'duplicate_person'
  GROUP BY r.rule_id, p.pkey
)

-- event: one department row about a member (death, dropout, new certificate…) within the window.
SELECT r.rule_id, h.hkey, h.vkey, p.pkey, d.rkey, 0 AS bucket, d.mon, d.amount AS measure
FROM rules r
JOIN records d
  ON d.feed = r.feed AND (r.codes = 0 OR (d.cbit & r.codes) <> 0) AND d.mon >= r.min_mon AND d.mon <= r.max_mon
 AND d.amount >= r.threshold AND (r.max_grade = 0 OR (d.grade >= 1 AND d.grade <= r.max_grade))
JOIN persons p ON p.pkey = d.pkey AND p.hkey = d.hkey
JOIN households h ON h.hkey = d.hkey
WHERE r.kind = 'event' AND d.hkey <> 0 AND h.prof - r.prof = 0
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0
  AND (r.hflags = 0 OR (h.hflags & r.hflags) <> 0)
  AND (r.paid < 0 OR p.paid = r.paid) AND (r.pflags = 0 OR (p.pflags & r.pflags) <> 0)

UNION ALL
-- area_event: one department row about a village: every household of that village in scope.
SELECT r.rule_id, h.hkey, h.vkey, 0 AS pkey, d.rkey, 0 AS bucket, d.mon, d.amount AS measure
FROM rules r
JOIN records d
  ON d.feed = r.feed AND d.pkey = 0
 AND (r.codes = 0 OR (d.cbit & r.codes) <> 0)
 AND d.mon >= r.min_mon AND d.mon <= r.max_mon AND d.amount >= r.threshold
JOIN households h ON h.vkey = d.vkey
WHERE r.kind = 'area_event' AND h.prof - r.prof = 0
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0
  AND (r.hflags = 0 OR (h.hflags & r.hflags) <> 0) AND (r.paid < 0 OR h.paid = r.paid)

UNION ALL
-- sum: the household's total over the window reaches the threshold and, with share_bp, that share of its income
-- over the same number of months.
SELECT r.rule_id, t.hkey, h.vkey, 0 AS pkey, 0 AS rkey, r.bucket, t.mon, t.total AS measure
FROM sums t
JOIN rules r ON r.spec = t.spec AND r.kind = 'sum'
JOIN households h ON h.hkey = t.hkey
WHERE h.prof - r.prof = 0 AND t.total >= r.threshold
  AND (r.share_bp = 0 OR t.total * 10000 >= r.share_bp * h.income * r.win)
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0
  AND (r.hflags = 0 OR (h.hflags & r.hflags) <> 0) AND (r.paid < 0 OR h.paid = r.paid)

UNION ALL
-- income_over_line: average reported monthly income (over the months reported) above line × standard × members.
SELECT r.rule_id, t.hkey, h.vkey, 0 AS pkey, 0 AS rkey, r.bucket, t.mon, t.total AS measure
FROM incomes t
JOIN rules r ON r.spec = t.spec AND r.kind = 'income_over_line'
JOIN households h ON h.hkey = t.hkey
WHERE h.prof - r.prof = 0 AND h.std > 0 AND h.counted > 0
  AND t.total * 10000 > r.line_bp * h.std * h.counted * t.months
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0
  AND (r.hflags = 0 OR (h.hflags & r.hflags) <> 0) AND (r.paid < 0 OR h.paid = r.paid)

UNION ALL
-- holdings: distinct items (vehicles, companies, homes) held by the household's members.
SELECT t.rule_id, t.hkey, h.vkey, 0 AS pkey, 0 AS rkey, r.bucket, t.mon, t.items AS measure
FROM holdings t
JOIN rules r ON r.rule_id = t.rule_id
JOIN households h ON h.hkey = t.hkey
WHERE h.prof - r.prof = 0 AND t.items >= r.min_count
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0
  AND (r.hflags = 0 OR (h.hflags & r.hflags) <> 0) AND (r.paid < 0 OR h.paid = r.paid)

UNION ALL
-- shared_account: one bank account used by at least min_count households.
SELECT r.rule_id, h.hkey, h.vkey, 0 AS pkey, 0 AS rkey, r.bucket, r.max_mon AS mon, a.n AS measure
FROM accounts a
JOIN rules r ON r.rule_id = a.rule_id
JOIN households h ON h.acct = a.acct
WHERE h.prof - r.prof = 0 AND a.n >= r.min_count
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0 AND (r.paid < 0 OR h.paid = r.paid)

UNION ALL
-- duplicate_person: one person a member of at least min_count households.
SELECT r.rule_id, p.hkey, h.vkey, p.pkey, 0 AS rkey, r.bucket, r.max_mon AS mon, m.n AS measure
FROM memberships m
JOIN rules r ON r.rule_id = m.rule_id
JOIN persons p ON p.pkey = m.pkey AND (r.paid < 0 OR p.paid = r.paid)
JOIN households h ON h.hkey = p.hkey
WHERE h.prof - r.prof = 0 AND m.n >= r.min_count AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0

UNION ALL
-- person_flag: a member with one of the rule's person flags (e.g. a registered relative of a cadre).
SELECT r.rule_id, h.hkey, h.vkey, p.pkey, 0 AS rkey, r.bucket, r.max_mon AS mon, 0 AS measure
FROM rules r
JOIN persons p ON (p.pflags & r.pflags) <> 0 AND (r.paid < 0 OR p.paid = r.paid)
JOIN households h ON h.hkey = p.hkey AND h.prof - r.prof = 0
WHERE r.kind = 'person_flag' AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0

UNION ALL
-- household_flag: a household with one of the rule's household flags (e.g. the engine finds it eligible).
SELECT r.rule_id, h.hkey, h.vkey, 0 AS pkey, 0 AS rkey, r.bucket, r.max_mon AS mon, 0 AS measure
FROM rules r
JOIN households h ON h.prof = r.prof
WHERE r.kind = 'household_flag' AND (h.hflags & r.hflags) <> 0
  AND (r.cats = 0 OR (h.cats & r.cats) <> 0) AND (h.cats & r.xcats) = 0 AND (r.paid < 0 OR h.paid = r.paid)
