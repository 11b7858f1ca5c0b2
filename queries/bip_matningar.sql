-- bip_matningar: each episode active in the range (in the selection) with its BIP state at the
-- range's last day (data-contract.md, bip.csv; the macros bip_episod and bip_par in db.py).
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date.
-- Columns: insats_id, kon, datum (distinct measurement dates up to $to_date, 0 when none),
--          dagar (days from the first to the latest of them), steg (the mean over the
--          indicators measured on both dates is higher at the latest than at the first).
WITH s AS (
    SELECT deltagare_id, insats_id, avg(varde_senaste) > avg(varde_forsta) AS steg
    FROM bip_par($to_date) GROUP BY deltagare_id, insats_id
)
SELECT e.insats_id, e.kon, coalesce(d.datum, 0) AS datum,
       date_diff('day', d.forsta, d.senaste) AS dagar, coalesce(s.steg, false) AS steg
FROM episoder e
JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
LEFT JOIN bip_episod($to_date) d USING (deltagare_id, insats_id)
LEFT JOIN s USING (deltagare_id, insats_id)
WHERE e.startdatum <= $to_date AND (e.slutdatum IS NULL OR e.slutdatum >= $from_date)
  AND ($kon IS NULL OR list_contains($kon, e.kon))
