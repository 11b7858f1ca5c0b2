-- registrering_rattelser: what the current extract corrects in quarters an earlier one had
-- reported, comparing the snapshot load's participants with those of the load before it (the
-- second in the snapshot order: the latest quarter's newest load, then the rest; every load's
-- rows are kept in episoder_raw). One row per episode and correction:
--   'sent_avslut'   ended on or before the earlier load's quarter's last day, but open (or
--                   missing) in that load; its quarter is the slutdatum's;
--   'kon'           kön changed; its quarter is the startdatum's;
--   'handlingsplan' handlingsplan changed; its quarter is the slutdatum's (where the share
--                   with a handlingsplan counts it), or the startdatum's while it is open.
-- Parameters: $kommuner, $typer, $insatser (lists or NULL), $kvartal_start, $slut (the latest
--             quarter's first and last day: the urval's).
-- Columns: insats_id, kortnamn, kvartal ('ÅÅÅÅ-Qn'), slag, deltagare_id, fore, efter (text).
-- Rows: none when fewer than two loads; by insats, kvartal, slag, deltagare_id.
WITH l AS (
    SELECT load_id, q, row_number() OVER (ORDER BY q DESC, active_seq DESC) AS n FROM loads
), nu AS (
    SELECT * FROM episoder_raw WHERE load_id = (SELECT load_id FROM l WHERE n = 1)
), fore AS (
    SELECT * FROM episoder_raw WHERE load_id = (SELECT load_id FROM l WHERE n = 2)
), fore_slut AS (
    SELECT CAST(make_date(q // 4, (q % 4) * 3 + 1, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)
        AS dag
    FROM l WHERE n = 2
), u AS (
    SELECT * FROM urval($kommuner, $typer, $insatser, NULL, $kvartal_start, $slut)
    WHERE typ = 'individ'
), par AS (
    SELECT nu.insats_id, nu.deltagare_id, nu.startdatum, nu.slutdatum, nu.kon, nu.handlingsplan,
           f.deltagare_id IS NOT NULL AS fanns, f.slutdatum AS f_slutdatum, f.kon AS f_kon,
           f.handlingsplan AS f_handlingsplan
    FROM nu LEFT JOIN fore f USING (deltagare_id, insats_id)
    WHERE nu.insats_id IN (SELECT insats_id FROM u)
), rader AS (
    SELECT insats_id, deltagare_id, slutdatum AS dag, 'sent_avslut' AS slag, 1 AS slag_sort,
           CASE WHEN fanns THEN 'pågående' ELSE 'saknades' END AS fore,
           CAST(slutdatum AS VARCHAR) AS efter
    FROM par
    WHERE slutdatum <= (SELECT dag FROM fore_slut) AND (NOT fanns OR f_slutdatum IS NULL)
    UNION ALL
    SELECT insats_id, deltagare_id, startdatum, 'kon', 2, f_kon, kon
    FROM par WHERE fanns AND f_kon IS DISTINCT FROM kon
    UNION ALL
    SELECT insats_id, deltagare_id, coalesce(slutdatum, startdatum), 'handlingsplan', 3,
           CASE WHEN f_handlingsplan THEN 'ja' ELSE 'nej' END,
           CASE WHEN handlingsplan THEN 'ja' ELSE 'nej' END
    FROM par WHERE fanns AND f_handlingsplan IS DISTINCT FROM handlingsplan
)
SELECT r.insats_id, u.kortnamn,
       kvartal_etikett(year(r.dag) * 4 + (month(r.dag) - 1) // 3) AS kvartal,
       r.slag, r.deltagare_id, r.fore, r.efter
FROM rader r JOIN u USING (insats_id)
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, r.insats_id, kvartal, r.slag_sort, r.deltagare_id
