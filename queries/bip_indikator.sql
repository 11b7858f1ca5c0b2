-- bip_indikator: per indicator (the contract's `bip_indikator` view), over the episodes active
-- in the range (in the selection) with uppföljning whose first and latest date both measure
-- it: how many, and the means of their first and latest values; with the change per episode.
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date.
-- Columns: insats_id, indikator, forandring (latest − first value), antal (episodes).
SELECT p.insats_id, p.indikator, p.varde_senaste - p.varde_forsta AS forandring,
       p.varde_forsta, p.varde_senaste, count(*) AS antal
FROM bip_par($to_date) p
JOIN episoder e USING (deltagare_id, insats_id)
JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
WHERE e.startdatum <= $to_date AND (e.slutdatum IS NULL OR e.slutdatum >= $from_date)
  AND ($kon IS NULL OR list_contains($kon, e.kon))
GROUP BY ALL
