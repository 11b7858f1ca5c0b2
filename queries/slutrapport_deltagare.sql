-- slutrapport_deltagare: one insats's participants over its whole time (the slutrapport), as
-- the Deltagare table counts them for the range $from_date..$to_date: the kansli's own
-- figures (the board's are cells of the publication, dashboard/beslut.py HELA_DELT).
-- Parameters: $insats_id, $from_date, $to_date (the whole time's first and last day).
-- Columns: deltagare_totalt (started by $to_date), kvinnor, man, annan (of them),
--          avslutade_totalt (ended by $to_date), deltagare_period (active in the range),
--          avslutade_period (ended in the range), till_arbete_studier and med_handlingsplan
--          (of avslutade_period), oppna (no slutdatum in the extract).
-- Rows: one.
SELECT count(*) FILTER (WHERE startdatum <= $to_date) AS deltagare_totalt,
       count(*) FILTER (WHERE startdatum <= $to_date AND kon = 'kvinna') AS kvinnor,
       count(*) FILTER (WHERE startdatum <= $to_date AND kon = 'man') AS man,
       count(*) FILTER (WHERE startdatum <= $to_date AND kon = 'annan') AS annan,
       count(*) FILTER (WHERE slutdatum <= $to_date) AS avslutade_totalt,
       count(*) FILTER (WHERE startdatum <= $to_date
                          AND (slutdatum IS NULL OR slutdatum >= $from_date)) AS deltagare_period,
       count(*) FILTER (WHERE slutdatum BETWEEN $from_date AND $to_date) AS avslutade_period,
       count(*) FILTER (WHERE slutdatum BETWEEN $from_date AND $to_date AND till_arbete_studier)
           AS till_arbete_studier,
       count(*) FILTER (WHERE slutdatum BETWEEN $from_date AND $to_date AND handlingsplan)
           AS med_handlingsplan,
       count(*) FILTER (WHERE slutdatum IS NULL) AS oppna
FROM episoder
WHERE insats_id = $insats_id
