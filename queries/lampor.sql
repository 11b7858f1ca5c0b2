-- lampor: the goal light of each selected insats in every quarter of the range (the Mål
-- page's strip) and the quarter's avvikelser.
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_date, $to_date,
--             $from_q, $to_q.
-- Columns: insats_id, q (quarter index), period ('2020-Q4'), lampa ('gron' | 'gul' | 'rod'),
--          avvikelse_budget, avvikelse_mal.
-- Rows: one per insats and quarter that has a kvartalsrapport; a missing report has no row.
SELECT k.insats_id, k.q, k.period, lampa(k.i_fas, k.prognos) AS lampa,
       k.avvikelse_budget, k.avvikelse_mal
FROM kvartalsrapport k
JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
WHERE k.q BETWEEN $from_q AND $to_q
ORDER BY k.insats_id, k.q
