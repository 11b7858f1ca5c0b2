-- malgrupp: who the participants are, by kön (the PM's målgrupp tables). Episodes active in
-- the range; `tid_i_insats` counts instead the episodes avslutade in the range, by months in
-- the insats (a month = 30.4375 days, at least 1) in bands 1-5, 6-10, ...
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date, $to_date,
--             $tid_band (integer or NULL): at least this many month bands (outside the kansli
--             the publication's, so that the number of rows says nothing about the selection).
-- Columns: dimension (alder | forsorjningstid | utbildning | forsorjning_start | remittent |
--          tid_i_insats), kategori (a code, or 'M_N' for a band), kvinna, man, annan, totalt.
-- Every category of a code list appears (zero when unused), in the list's order; month bands
-- run from 1-5 up to the longest one used (or $tid_band bands).
WITH e AS (
    SELECT e.*
    FROM episoder e JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE e.startdatum <= $to_date AND (e.slutdatum IS NULL OR e.slutdatum >= $from_date)
      AND ($kon IS NULL OR list_contains($kon, e.kon))
), lang AS (
    -- one pass over the episodes for the five dimensions (GROUPING SETS), counted per kön
    SELECT CASE WHEN GROUPING(alder_band) = 0 THEN 'alder'
                WHEN GROUPING(forsorjningstid) = 0 THEN 'forsorjningstid'
                WHEN GROUPING(utbildning) = 0 THEN 'utbildning'
                WHEN GROUPING(forsorjning_start) = 0 THEN 'forsorjning_start'
                ELSE 'remittent' END AS dimension,
           coalesce(alder_band, forsorjningstid, utbildning, forsorjning_start, remittent)
               AS kategori,
           kon, count(*) AS n
    FROM e
    GROUP BY GROUPING SETS ((alder_band, kon), (forsorjningstid, kon), (utbildning, kon),
                            (forsorjning_start, kon), (remittent, kon))
    UNION ALL
    SELECT 'tid_i_insats',
           CAST((manader - 1) // 5 * 5 + 1 AS VARCHAR) || '_'
               || CAST((manader - 1) // 5 * 5 + 5 AS VARCHAR), kon, count(*)
    FROM e WHERE slutdatum BETWEEN $from_date AND $to_date
    GROUP BY ALL
), kategorier AS (
    SELECT domain AS dimension, code AS kategori, sort FROM kod
    WHERE domain IN ('forsorjningstid', 'utbildning', 'forsorjning_start', 'remittent', 'alder')
    UNION ALL
    SELECT 'tid_i_insats', CAST(b * 5 + 1 AS VARCHAR) || '_' || CAST(b * 5 + 5 AS VARCHAR), b
    FROM range(0, (SELECT greatest(coalesce(max((manader - 1) // 5) + 1, 0),
                                   coalesce($tid_band, 0)) FROM e
                   WHERE slutdatum BETWEEN $from_date AND $to_date)) t(b)
), dim_order AS (
    SELECT * FROM (VALUES ('alder', 0), ('forsorjningstid', 1), ('utbildning', 2),
                          ('forsorjning_start', 3), ('remittent', 4), ('tid_i_insats', 5))
                  v(dimension, dsort)
)
SELECT k.dimension, k.kategori,
       CAST(coalesce(sum(l.n) FILTER (WHERE l.kon = 'kvinna'), 0) AS BIGINT) AS kvinna,
       CAST(coalesce(sum(l.n) FILTER (WHERE l.kon = 'man'), 0) AS BIGINT) AS man,
       CAST(coalesce(sum(l.n) FILTER (WHERE l.kon = 'annan'), 0) AS BIGINT) AS annan,
       CAST(coalesce(sum(l.n), 0) AS BIGINT) AS totalt
FROM kategorier k
JOIN dim_order d USING (dimension)
LEFT JOIN lang l USING (dimension, kategori)
GROUP BY k.dimension, k.kategori, k.sort, d.dsort
ORDER BY d.dsort, k.sort
