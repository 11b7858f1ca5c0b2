-- kvalitet: the styrgrupp's checklist for the `to` quarter (PM Tabell 3 and 5).
-- Parameters: $kommuner, $typer, $insatser, $statuser (lists or NULL), $to_q, $to_q_start, $to_date.
-- Columns: insats_id, kortnamn, typ, then each ja/nej column of kvartalsrapport (NULL when
--          the report is missing), kommentar.
SELECT u.insats_id, u.kortnamn, u.typ,
       k.i_fas, k.prognos, k.start_i_tid, k.vakans_forbundsmedel, k.vakans_egenfinansierad,
       k.avvikelse_budget, k.styrgruppsmoten_enligt_avtal, k.ordinarie_ledamoter,
       k.uppfoljning_enligt_avtal, k.kontroll_malgrupp_metod, k.jamstalldhet, k.avvikelse_mal,
       k.kommentar
FROM urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u
LEFT JOIN kvartalsrapport k ON k.insats_id = u.insats_id AND k.q = $to_q
WHERE (u.startdatum <= $to_date AND u.slutdatum >= $to_q_start) OR k.insats_id IS NOT NULL
ORDER BY u.typ_sort, u.kortnamn COLLATE sv, u.insats_id
