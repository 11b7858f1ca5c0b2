-- registrering_rader: the participant episodes of the current extract whose registration makes
-- the figures less true (Kvalitet's Registreringskvalitet; the rows are the kansli's only),
-- one row per episode and problem:
--   'oppen_efter_slut'  no slutdatum, though its insats ended by $slut;
--   'oppen_lange'       no slutdatum, started on or before $grans (open at least the insatser's
--                       usual time at $slut), in an insats running in the latest quarter;
--   'utan_handlingsplan' no slutdatum and no handlingsplan, in a förrehabiliterande insats
--                       running in the latest quarter.
-- (Avslut without avslutsorsak, or an avslutsorsak without slutdatum, are rejected when an
-- extract is read: they cannot be in the loaded data.)
-- Parameters: $kommuner, $typer, $insatser (lists or NULL), $slut (the latest quarter's last
--             day), $kvartal_start (its first day), $grans (see 'oppen_lange').
-- Columns: insats_id, kortnamn, slag, deltagare_id, kon, startdatum, slutdatum, handlingsplan.
-- Rows: by insats (the register's order), slag, startdatum, deltagare_id.
WITH u AS (
    SELECT * FROM urval($kommuner, $typer, $insatser, NULL, $kvartal_start, $slut)
    WHERE typ = 'individ'
), e AS (
    SELECT e.*, u.kortnamn, u.typ_sort, u.forrehab,
           u.slutdatum <= $slut AS insats_slut,
           u.startdatum <= $slut AND u.slutdatum >= $kvartal_start AS i_kvartalet
    FROM episoder e JOIN u USING (insats_id)
    WHERE e.slutdatum IS NULL
), rader AS (
    SELECT *, 'oppen_efter_slut' AS slag, 1 AS slag_sort FROM e WHERE insats_slut
    UNION ALL
    SELECT *, 'oppen_lange', 2 FROM e WHERE i_kvartalet AND startdatum <= $grans
    UNION ALL
    SELECT *, 'utan_handlingsplan', 3 FROM e
    WHERE i_kvartalet AND forrehab AND NOT handlingsplan AND startdatum <= $slut
)
SELECT insats_id, kortnamn, slag, deltagare_id, kon, startdatum, slutdatum, handlingsplan
FROM rader
ORDER BY typ_sort, kortnamn COLLATE sv, insats_id, slag_sort, startdatum, deltagare_id
