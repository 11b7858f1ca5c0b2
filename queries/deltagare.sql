-- deltagare: participant outcomes per individinsats (PM Tabell 6). Counts are episodes
-- (deltagare_id x insats_id); "till arbete/studier" counts an episode once however many
-- arbete/studier avslut rows it has.
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date (the range's
--             first and last day), $from_q, $to_q.
-- Columns: insats_id, kortnamn, forrehab, deltagare_totalt, avslutade_totalt (from the
--          insats's start to $to_date), deltagare_period (active in the range),
--          avslutade_period (slutdatum in the range), till_arbete_studier,
--          kvinnor_arbete_studier, man_arbete_studier, annan_arbete_studier,
--          med_handlingsplan (of avslutade_period), pagaende (at $to_date), anonyma, volym
--          (sums over the range's quarters).
-- Rows: individinsatser running at some time in the range.
-- The selection is applied before counting (a kommun's few insatser, not every episode).
WITH u AS (
    SELECT * FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date)
    WHERE typ = 'individ' AND startdatum <= $to_date AND slutdatum >= $from_date
), e AS (
    SELECT e.insats_id,
           count(*) FILTER (WHERE e.startdatum <= $to_date) AS deltagare_totalt,
           count(*) FILTER (WHERE e.slutdatum <= $to_date) AS avslutade_totalt,
           count(*) FILTER (WHERE e.startdatum <= $to_date
                              AND (e.slutdatum IS NULL OR e.slutdatum >= $from_date))
               AS deltagare_period,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date)
               AS avslutade_period,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date
                              AND e.till_arbete_studier) AS till_arbete_studier,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date
                              AND e.till_arbete_studier AND e.kon = 'kvinna')
               AS kvinnor_arbete_studier,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date
                              AND e.till_arbete_studier AND e.kon = 'man')
               AS man_arbete_studier,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date
                              AND e.till_arbete_studier AND e.kon = 'annan')
               AS annan_arbete_studier,
           count(*) FILTER (WHERE e.slutdatum BETWEEN $from_date AND $to_date
                              AND e.handlingsplan) AS med_handlingsplan,
           count(*) FILTER (WHERE e.startdatum <= $to_date
                              AND (e.slutdatum IS NULL OR e.slutdatum > $to_date)) AS pagaende
    FROM episoder e
    WHERE ($kon IS NULL OR list_contains($kon, e.kon))
      AND e.insats_id IN (SELECT insats_id FROM u)
    GROUP BY e.insats_id
), a AS (
    SELECT insats_id, sum(anonyma) AS anonyma, sum(volym) AS volym
    FROM anonyma WHERE q BETWEEN $from_q AND $to_q AND insats_id IN (SELECT insats_id FROM u)
    GROUP BY insats_id
)
SELECT u.insats_id, u.kortnamn, u.forrehab,
       coalesce(e.deltagare_totalt, 0) AS deltagare_totalt,
       coalesce(e.avslutade_totalt, 0) AS avslutade_totalt,
       coalesce(e.deltagare_period, 0) AS deltagare_period,
       coalesce(e.avslutade_period, 0) AS avslutade_period,
       coalesce(e.till_arbete_studier, 0) AS till_arbete_studier,
       coalesce(e.kvinnor_arbete_studier, 0) AS kvinnor_arbete_studier,
       coalesce(e.man_arbete_studier, 0) AS man_arbete_studier,
       coalesce(e.annan_arbete_studier, 0) AS annan_arbete_studier,
       coalesce(e.med_handlingsplan, 0) AS med_handlingsplan,
       coalesce(e.pagaende, 0) AS pagaende,
       coalesce(a.anonyma, 0) AS anonyma, coalesce(a.volym, 0) AS volym
FROM u
LEFT JOIN e USING (insats_id)
LEFT JOIN a USING (insats_id)
ORDER BY u.kortnamn COLLATE sv, u.insats_id
