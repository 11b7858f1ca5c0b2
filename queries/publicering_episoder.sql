-- publicering_episoder: every participant episode (deltagare_id x insats_id) with what the
-- fixed publication counts it by (dashboard/publicering.py builds its atoms from these rows).
-- Parameters: none.
-- Columns: insats_id, typ, kon, sq and eq (quarter index of startdatum and slutdatum, eq NULL
--          while pågående), alder_band, forsorjningstid, utbildning, forsorjning_start,
--          forsorjning_slut (NULL while pågående or when not registered), remittent, manader,
--          till_arbete_studier, handlingsplan.
SELECT e.insats_id, i.typ, e.kon,
       year(e.startdatum) * 4 + (month(e.startdatum) - 1) // 3 AS sq,
       year(e.slutdatum) * 4 + (month(e.slutdatum) - 1) // 3 AS eq,
       e.alder_band, e.forsorjningstid, e.utbildning, e.forsorjning_start,
       e.forsorjning_slut, e.remittent,
       e.manader, e.till_arbete_studier, e.handlingsplan
FROM episoder e JOIN insatser i USING (insats_id)
