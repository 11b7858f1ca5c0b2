-- forsorjning: the main source of support before the insats (forsorjning_start) and at avslut
-- (forsorjning_slut), by kön, for episodes avslutade in the range that have a registered
-- forsorjning_slut (the national follow-up's "försörjning före och efter insats").
-- Parameters: $kommuner, $typer, $insatser, $statuser, $kon (lists or NULL), $from_date,
--             $to_date.
-- Columns: forsorjning_start, forsorjning_slut (codes, or 'summa' / 'saknas' below), kvinna,
--          man, annan, totalt.
-- Rows: every code at start × every code at avslut (zero when unused), each code's row
--       followed by its sum over the codes at avslut (forsorjning_slut = 'summa'), in the code
--       list's order; then the sums by code at avslut (forsorjning_start = 'summa'), the sum
--       of everyone with a registered source ('summa', 'summa'), and those avslutade in the
--       range without one ('summa', 'saknas': a registration-quality item).
WITH e AS (
    SELECT e.forsorjning_start AS fore, coalesce(e.forsorjning_slut, 'saknas') AS efter, e.kon,
           count(*) AS n
    FROM episoder e
    JOIN urval($kommuner, $typer, $insatser, $statuser, $from_date, $to_date) u USING (insats_id)
    WHERE e.slutdatum BETWEEN $from_date AND $to_date
      AND ($kon IS NULL OR list_contains($kon, e.kon))
    GROUP BY ALL
), k AS (
    SELECT code, sort FROM kod WHERE domain = 'forsorjning_start'
), rader AS (
    SELECT f.code AS fore, a.code AS efter, f.sort AS fs, a.sort AS es FROM k f CROSS JOIN k a
    UNION ALL SELECT code, 'summa', sort, 1000 FROM k
    UNION ALL SELECT 'summa', code, 1000, sort FROM k
    UNION ALL SELECT 'summa', 'summa', 1000, 1000
    UNION ALL SELECT 'summa', 'saknas', 1000, 1001
)
SELECT r.fore AS forsorjning_start, r.efter AS forsorjning_slut,
       CAST(coalesce(sum(e.n) FILTER (WHERE e.kon = 'kvinna'), 0) AS BIGINT) AS kvinna,
       CAST(coalesce(sum(e.n) FILTER (WHERE e.kon = 'man'), 0) AS BIGINT) AS man,
       CAST(coalesce(sum(e.n) FILTER (WHERE e.kon = 'annan'), 0) AS BIGINT) AS annan,
       CAST(coalesce(sum(e.n), 0) AS BIGINT) AS totalt
FROM rader r
LEFT JOIN e ON (r.fore = 'summa' OR e.fore = r.fore)
           AND CASE WHEN r.efter = 'summa' THEN e.efter <> 'saknas' ELSE e.efter = r.efter END
GROUP BY r.fore, r.efter, r.fs, r.es
ORDER BY r.fs, r.es
