-- forsorjning_insats: per individinsats, of the episodes avslutade in the range: how many have
-- a registered source of support at avslut, how many of those had public support at start
-- ($offentlig), and how many of these had own support at avslut ($egen: lön or studiemedel),
-- "lämnat offentlig försörjning", by kön; and how many lack a registered source.
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date,
--             $to_date, $offentlig, $egen (lists of forsorjning codes).
-- Columns: insats_id, kortnamn, avslutade (with a registered source), offentlig, lamnat,
--          kvinna_lamnat, man_lamnat, annan_lamnat, saknas.
-- Rows: individinsatser running at some time in the range (as the deltagare view's).
WITH u AS (
    SELECT * FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date)
    WHERE typ = 'individ' AND startdatum <= $to_date AND slutdatum >= $from_date
), f AS (
    SELECT e.insats_id, e.kon, e.forsorjning_slut IS NOT NULL AS med,
           e.forsorjning_slut IS NOT NULL AND list_contains($offentlig, e.forsorjning_start)
               AS offentlig,
           coalesce(list_contains($egen, e.forsorjning_slut), false) AS egen
    FROM episoder e
    WHERE e.slutdatum BETWEEN $from_date AND $to_date
      AND ($kon IS NULL OR list_contains($kon, e.kon))
      AND e.insats_id IN (SELECT insats_id FROM u)
), e AS (
    SELECT insats_id,
           count(*) FILTER (WHERE med) AS avslutade,
           count(*) FILTER (WHERE offentlig) AS offentlig,
           count(*) FILTER (WHERE offentlig AND egen) AS lamnat,
           count(*) FILTER (WHERE offentlig AND egen AND kon = 'kvinna') AS kvinna_lamnat,
           count(*) FILTER (WHERE offentlig AND egen AND kon = 'man') AS man_lamnat,
           count(*) FILTER (WHERE offentlig AND egen AND kon = 'annan') AS annan_lamnat,
           count(*) FILTER (WHERE NOT med) AS saknas
    FROM f GROUP BY insats_id
)
SELECT u.insats_id, u.kortnamn,
       coalesce(e.avslutade, 0) AS avslutade, coalesce(e.offentlig, 0) AS offentlig,
       coalesce(e.lamnat, 0) AS lamnat, coalesce(e.kvinna_lamnat, 0) AS kvinna_lamnat,
       coalesce(e.man_lamnat, 0) AS man_lamnat, coalesce(e.annan_lamnat, 0) AS annan_lamnat,
       coalesce(e.saknas, 0) AS saknas
FROM u
LEFT JOIN e USING (insats_id)
ORDER BY u.kortnamn COLLATE sv, u.insats_id
