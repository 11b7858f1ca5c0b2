-- publicering_bip_par: how many episodes with uppföljning at a quarter's last day measured
-- each indicator on both their first and latest date (the radar's n), by the direction of the
-- change between them, for the publication.
-- Parameters: $to_date.
-- Columns: insats_id, sq, eq (as publicering_episoder), indikator, riktning ('battre' when
--          the latest value is higher, 'samma', 'samre'), antal.
SELECT e.insats_id,
       year(e.startdatum) * 4 + (month(e.startdatum) - 1) // 3 AS sq,
       year(e.slutdatum) * 4 + (month(e.slutdatum) - 1) // 3 AS eq,
       p.indikator,
       CASE sign(p.varde_senaste - p.varde_forsta)
           WHEN 1 THEN 'battre' WHEN 0 THEN 'samma' ELSE 'samre' END AS riktning,
       count(*) AS antal
FROM bip_par($to_date) p JOIN episoder e USING (deltagare_id, insats_id)
GROUP BY ALL
