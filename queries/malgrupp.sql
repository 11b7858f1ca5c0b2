-- malgrupp: who the participants are, by kön (the PM's målgrupp tables). Episodes active in
-- the range; `tid_i_insats` counts instead the episodes avslutade in the range, by months in
-- the insats (a month = 30.4375 days, at least 1) in bands 1-5, 6-10, ...
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date.
-- Columns: dimension (alder | forsorjningstid | utbildning | forsorjning_start | remittent |
--          tid_i_insats), kategori (a code, or 'M_N' for a band), kvinna, man, annan, totalt.
-- Every category of a code list appears (zero when unused), in the list's order; month bands
-- run from 1-5 up to the longest one used.
WITH e AS (
    SELECT e.*
    FROM episoder e JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE e.startdatum <= $to_date AND (e.slutdatum IS NULL OR e.slutdatum >= $from_date)
      AND ($kon IS NULL OR list_contains($kon, e.kon))
), lang AS (
    SELECT 'alder' AS dimension, alder_band AS kategori, kon FROM e
    UNION ALL SELECT 'forsorjningstid', forsorjningstid, kon FROM e
    UNION ALL SELECT 'utbildning', utbildning, kon FROM e
    UNION ALL SELECT 'forsorjning_start', forsorjning_start, kon FROM e
    UNION ALL SELECT 'remittent', remittent, kon FROM e
    UNION ALL
    SELECT 'tid_i_insats',
           CAST((manader - 1) // 5 * 5 + 1 AS VARCHAR) || '_'
               || CAST((manader - 1) // 5 * 5 + 5 AS VARCHAR), kon
    FROM e WHERE slutdatum BETWEEN $from_date AND $to_date
), kategorier AS (
    SELECT domain AS dimension, code AS kategori, sort FROM kod
    WHERE domain IN ('forsorjningstid', 'utbildning', 'forsorjning_start', 'remittent', 'alder')
    UNION ALL
    SELECT 'tid_i_insats', CAST(b * 5 + 1 AS VARCHAR) || '_' || CAST(b * 5 + 5 AS VARCHAR), b
    FROM range(0, (SELECT coalesce(max((manader - 1) // 5) + 1, 0) FROM e
                   WHERE slutdatum BETWEEN $from_date AND $to_date)) t(b)
), dim_order AS (
    SELECT * FROM (VALUES ('alder', 0), ('forsorjningstid', 1), ('utbildning', 2),
                          ('forsorjning_start', 3), ('remittent', 4), ('tid_i_insats', 5))
                  v(dimension, dsort)
)
SELECT k.dimension, k.kategori,
       count(l.kon) FILTER (WHERE l.kon = 'kvinna') AS kvinna,
       count(l.kon) FILTER (WHERE l.kon = 'man') AS man,
       count(l.kon) FILTER (WHERE l.kon = 'annan') AS annan,
       count(l.kon) AS totalt
FROM kategorier k
JOIN dim_order d USING (dimension)
LEFT JOIN lang l USING (dimension, kategori)
GROUP BY k.dimension, k.kategori, k.sort, d.dsort
ORDER BY d.dsort, k.sort
