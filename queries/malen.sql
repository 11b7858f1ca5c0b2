-- malen: the goals of each selected insats and their status in the `to` quarter (mal.csv).
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_date, $to_date,
--             $to_q.
-- Columns: insats_id, kortnamn, mal_nr, maltyp, beskrivning, malvarde, enhet, utfall, bedomning,
--          kommentar, berakning (what the dashboard computes the utfall from, or NULL).
SELECT m.insats_id, u.kortnamn, m.mal_nr, m.maltyp, m.beskrivning, m.malvarde, m.enhet, m.utfall,
       m.bedomning, m.kommentar, m.berakning
FROM mal m
JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
WHERE m.q = $to_q
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, m.insats_id, m.mal_nr
