-- avslutsorsaker: avslut registrations by code and kön (PM Tabell 7), for episodes avslutade
-- in the range. Registrations, not persons: one person may have several rows.
-- `arbetar` is split by omfattning as arbetar_10 ... arbetar_100.
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date,
--             $omfattningar (list or NULL): arbetar_N rows always shown (outside the kansli the
--             publication's, so that a row's presence says nothing about the selection).
-- Columns: avslutsorsak, grupp (arbete | studier | arbetssokande | annat), kvinna, man, annan,
--          totalt. Every code appears (zero when unused); arbetar_N rows when used or asked for.
WITH reg AS (
    SELECT CASE WHEN a.avslutsorsak = 'arbetar' THEN 'arbetar_' || CAST(a.omfattning AS VARCHAR)
                ELSE a.avslutsorsak END AS avslutsorsak,
           a.avslutsorsak AS kod, a.omfattning, e.kon
    FROM avslut a
    JOIN episoder e USING (deltagare_id, insats_id)
    JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE e.slutdatum BETWEEN $from_date AND $to_date
      AND ($kon IS NULL OR list_contains($kon, e.kon))
), rader AS (
    SELECT code AS avslutsorsak, code AS kod, NULL::INTEGER AS omfattning
    FROM kod WHERE domain = 'avslutsorsak' AND code <> 'arbetar'
    UNION
    SELECT DISTINCT avslutsorsak, kod, omfattning FROM reg WHERE kod = 'arbetar'
    UNION
    SELECT 'arbetar_' || CAST(o AS VARCHAR), 'arbetar', o
    FROM (SELECT unnest(coalesce($omfattningar, []::INTEGER[])) AS o)
)
SELECT r.avslutsorsak, k.grupp,
       count(reg.kon) FILTER (WHERE reg.kon = 'kvinna') AS kvinna,
       count(reg.kon) FILTER (WHERE reg.kon = 'man') AS man,
       count(reg.kon) FILTER (WHERE reg.kon = 'annan') AS annan,
       count(reg.kon) AS totalt
FROM rader r
JOIN kod k ON k.domain = 'avslutsorsak' AND k.code = r.kod
LEFT JOIN reg ON reg.avslutsorsak = r.avslutsorsak
GROUP BY r.avslutsorsak, k.grupp, k.sort, r.omfattning
ORDER BY k.sort, r.omfattning
