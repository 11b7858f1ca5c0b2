-- budget_prognos: what a year-end forecast per insats needs, at the `to` quarter.
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_date, $to_date,
--             $year_q (Q1 of the `to` year), $to_q.
-- Columns: insats_id, kvartal (quarters of the year to date with a budget row),
--          ack_budget_tkr, ack_utfall_tkr (year to date), senaste_budget_tkr,
--          senaste_utfall_tkr (the last two quarters up to $to_q, within the year),
--          overfort_tkr (year to date: moved to next year).
SELECT b.insats_id, count(*) AS kvartal,
       sum(b.budget_tkr) AS ack_budget_tkr, sum(b.utfall_tkr) AS ack_utfall_tkr,
       sum(b.budget_tkr) FILTER (WHERE b.q >= $to_q - 1) AS senaste_budget_tkr,
       sum(b.utfall_tkr) FILTER (WHERE b.q >= $to_q - 1) AS senaste_utfall_tkr,
       sum(b.overfort_tkr) AS overfort_tkr
FROM budget b
JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
WHERE b.q BETWEEN $year_q AND $to_q
GROUP BY b.insats_id
