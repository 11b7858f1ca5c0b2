-- deltagare_kvartal: participants avslutade per quarter and how many of them went to
-- arbete/studier, summed over the selected individinsatser (the Deltagare page's trend).
-- Counts are episodes (deltagare_id x insats_id), each once however many avslut rows it has.
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date,
--             $to_date, $first_q, $to_q.
-- Columns: q, period, avslutade, till_arbete_studier.
-- Rows: every quarter $first_q..$to_q (zero when nobody ended).
WITH kv AS (
    SELECT range AS q FROM range($first_q, $to_q + 1)
), e AS (
    SELECT year(e.slutdatum) * 4 + (month(e.slutdatum) - 1) // 3 AS q, e.till_arbete_studier
    FROM episoder e
    JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE u.typ = 'individ'
      AND e.slutdatum BETWEEN make_date(CAST($first_q // 4 AS BIGINT), CAST($first_q % 4 * 3 + 1 AS BIGINT), 1)
                          AND $to_date
      AND ($kon IS NULL OR list_contains($kon, e.kon))
)
SELECT kv.q, kvartal_etikett(kv.q) AS period,
       count(e.q) AS avslutade,
       count(e.q) FILTER (WHERE e.till_arbete_studier) AS till_arbete_studier
FROM kv LEFT JOIN e USING (q)
GROUP BY kv.q
ORDER BY kv.q
