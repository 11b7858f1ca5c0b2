-- publicering_avslut: every avslut registration of an ended episode, as the avslutsorsaker
-- view counts it (arbetar split as arbetar_N by omfattning).
-- Parameters: none.
-- Columns: insats_id, kon, eq (quarter index of the episode's slutdatum), avslutsorsak.
SELECT a.insats_id, e.kon,
       year(e.slutdatum) * 4 + (month(e.slutdatum) - 1) // 3 AS eq,
       CASE WHEN a.avslutsorsak = 'arbetar' THEN 'arbetar_' || CAST(a.omfattning AS VARCHAR)
            ELSE a.avslutsorsak END AS avslutsorsak
FROM avslut a JOIN episoder e USING (deltagare_id, insats_id)
WHERE e.slutdatum IS NOT NULL
