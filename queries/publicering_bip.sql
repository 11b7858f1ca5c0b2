-- publicering_bip: every episode with its BIP state at a quarter's last day, for the fixed
-- publication (dashboard/publicering.py).
-- Parameters: $to_date (the last day of the quarter).
-- Columns: insats_id, kon, sq, eq (as publicering_episoder), datum (measurement dates up to
--          $to_date), steg (as bip_matningar).
WITH s AS (
    SELECT deltagare_id, insats_id, avg(varde_senaste) > avg(varde_forsta) AS steg
    FROM bip_par($to_date) GROUP BY deltagare_id, insats_id
)
SELECT e.insats_id, e.kon,
       year(e.startdatum) * 4 + (month(e.startdatum) - 1) // 3 AS sq,
       year(e.slutdatum) * 4 + (month(e.slutdatum) - 1) // 3 AS eq,
       coalesce(d.datum, 0) AS datum, coalesce(s.steg, false) AS steg
FROM episoder e
LEFT JOIN bip_episod($to_date) d USING (deltagare_id, insats_id)
LEFT JOIN s USING (deltagare_id, insats_id)
