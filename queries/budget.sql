-- budget: budget against utfall per insats (PM Tabell 4), in tkr.
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_q, $to_q (the range),
--             $year_q (Q1 of the `to` year: the start of "ack").
-- Columns: insats_id, kortnamn, typ, kommuner ('A|B'), budget_tkr, utfall_tkr, overfort_tkr, aterfort_tkr
--          (sums over the range), ack_budget_tkr, ack_utfall_tkr (from $year_q through $to_q),
--          forbrukningskvot (ack utfall / ack budget; NULL when ack budget is 0).
-- Rows: insatser with budget rows in the range or in the year to date.
WITH agg AS (
    SELECT insats_id,
           sum(budget_tkr)   FILTER (WHERE q BETWEEN $from_q AND $to_q) AS budget_tkr,
           sum(utfall_tkr)   FILTER (WHERE q BETWEEN $from_q AND $to_q) AS utfall_tkr,
           sum(overfort_tkr) FILTER (WHERE q BETWEEN $from_q AND $to_q) AS overfort_tkr,
           sum(aterfort_tkr) FILTER (WHERE q BETWEEN $from_q AND $to_q) AS aterfort_tkr,
           sum(budget_tkr)   FILTER (WHERE q BETWEEN $year_q AND $to_q) AS ack_budget_tkr,
           sum(utfall_tkr)   FILTER (WHERE q BETWEEN $year_q AND $to_q) AS ack_utfall_tkr
    FROM budget
    WHERE q BETWEEN least($from_q, $year_q) AND $to_q
    GROUP BY insats_id
)
SELECT u.insats_id, u.kortnamn, u.typ, array_to_string(u.kommuner, '|') AS kommuner,
       coalesce(a.budget_tkr, 0) AS budget_tkr, coalesce(a.utfall_tkr, 0) AS utfall_tkr,
       coalesce(a.ack_budget_tkr, 0) AS ack_budget_tkr,
       coalesce(a.ack_utfall_tkr, 0) AS ack_utfall_tkr,
       a.ack_utfall_tkr / nullif(a.ack_budget_tkr, 0) AS forbrukningskvot,
       coalesce(a.overfort_tkr, 0) AS overfort_tkr, coalesce(a.aterfort_tkr, 0) AS aterfort_tkr
FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u
JOIN agg a USING (insats_id)
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, u.insats_id
