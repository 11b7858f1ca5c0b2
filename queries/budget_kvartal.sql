-- budget_kvartal: budget and utfall per quarter, summed over the selected insatser, with
-- running totals from the first quarter asked for (the Budget page's burn chart), in tkr.
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_date, $to_date,
--             $first_q, $to_q.
-- Columns: q, period, budget_tkr, utfall_tkr, ack_budget_tkr, ack_utfall_tkr.
-- Rows: every quarter $first_q..$to_q (zero where nothing was budgeted or spent).
WITH kv AS (
    SELECT range AS q FROM range($first_q, $to_q + 1)
), s AS (
    SELECT b.q, sum(b.budget_tkr) AS budget_tkr, sum(b.utfall_tkr) AS utfall_tkr
    FROM budget b
    JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE b.q BETWEEN $first_q AND $to_q
    GROUP BY b.q
)
SELECT kv.q, kvartal_etikett(kv.q) AS period,
       coalesce(s.budget_tkr, 0) AS budget_tkr, coalesce(s.utfall_tkr, 0) AS utfall_tkr,
       sum(coalesce(s.budget_tkr, 0)) OVER (ORDER BY kv.q) AS ack_budget_tkr,
       sum(coalesce(s.utfall_tkr, 0)) OVER (ORDER BY kv.q) AS ack_utfall_tkr
FROM kv LEFT JOIN s USING (q)
ORDER BY kv.q
