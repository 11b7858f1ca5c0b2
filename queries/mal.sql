-- mal: the goal light of each insats for the `to` quarter (PM Tabell 2).
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL = all), $to_q (quarter index),
--             $to_q_start, $to_date (first and last day of the `to` quarter).
-- Columns: insats_id, kortnamn, typ, kommuner ('|'-separated), i_fas, prognos,
--          lampa ('gron' | 'gul' | 'rod'; NULL when the quarter's report is missing), kommentar.
-- Rows: insatser running during the `to` quarter, and any other with a report for it.
SELECT u.insats_id, u.kortnamn, u.typ, array_to_string(u.kommuner, '|') AS kommuner,
       k.i_fas, k.prognos,
       lampa(k.i_fas, k.prognos) AS lampa,
       k.kommentar
FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u
LEFT JOIN kvartalsrapport k ON k.insats_id = u.insats_id AND k.q = $to_q
WHERE (u.startdatum <= $to_date AND u.slutdatum >= $to_q_start) OR k.insats_id IS NOT NULL
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, u.insats_id
