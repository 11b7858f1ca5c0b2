-- publicering_aktiva: Målgrupp's atoms for the fixed publication (dashboard/beslut.py): the
-- episodes active in each period of its grid (started by its last quarter, not ended before
-- its first), by insats, kön, dimension and category. Annat kön's categories are one, '*':
-- annat kön is never split by category outside the kansli.
-- Parameters: $forsta, $sista (lists of quarter indexes, pairwise: the grid's periods).
-- Columns: forsta, sista, insats_id, kon, dimension (alder, forsorjningstid, utbildning,
--          forsorjning_start, remittent), kategori, antal.
WITH p AS (SELECT unnest($forsta) AS forsta, unnest($sista) AS sista),
e AS (
    SELECT insats_id, kon, alder_band AS alder, forsorjningstid, utbildning, forsorjning_start,
           remittent,
           year(startdatum) * 4 + (month(startdatum) - 1) // 3 AS sq,
           year(slutdatum) * 4 + (month(slutdatum) - 1) // 3 AS eq
    FROM episoder
),
a AS (
    SELECT p.forsta, p.sista, e.* EXCLUDE (sq, eq)
    FROM p JOIN e ON e.sq <= p.sista AND (e.eq IS NULL OR e.eq >= p.forsta)
)
SELECT forsta, sista, insats_id, kon, dimension,
       CASE WHEN kon = 'annan' THEN '*' ELSE kategori END AS kategori, count(*) AS antal
FROM (UNPIVOT a ON alder, forsorjningstid, utbildning, forsorjning_start, remittent
      INTO NAME dimension VALUE kategori)
GROUP BY ALL
ORDER BY sista, forsta, dimension, insats_id, kon, kategori
