-- insatser: the register of the selected insatser, with their status in the range.
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $from_date, $to_date.
-- Columns: insats_id, namn, kortnamn, typ, forrehab, kommuner ('|'-separated), insatsagare,
--          samverkansparter ('|'-separated), startdatum, slutdatum, beviljat_tkr,
--          startad (startdatum in the range), avslutad (slutdatum in the range),
--          pagaende (running at the range's last day), i_perioden (running at some time in
--          the range).
-- Rows: every selected insats, whether or not it runs in the range.
SELECT u.insats_id, u.namn, u.kortnamn, u.typ, u.forrehab,
       array_to_string(u.kommuner, '|') AS kommuner, u.insatsagare,
       array_to_string(u.samverkansparter, '|') AS samverkansparter,
       u.startdatum, u.slutdatum, u.beviljat_tkr,
       u.startdatum BETWEEN $from_date AND $to_date AS startad,
       u.slutdatum BETWEEN $from_date AND $to_date AS avslutad,
       u.startdatum <= $to_date AND u.slutdatum > $to_date AS pagaende,
       u.startdatum <= $to_date AND u.slutdatum >= $from_date AS i_perioden
FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, u.insats_id
