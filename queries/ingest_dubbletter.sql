-- Keys that occur on more than one row of t (its columns: the file's key columns and rad, the
-- row's number): the key, its first rows (up to seven) and how many duplicated keys there
-- are in all; in the order of their first row, at most $antal keys. Rows with a missing key
-- value are not judged (their missing value is reported already). The repeated keys are
-- found first, so that rows are gathered for them alone (a clean file has none).
WITH upprepade AS (
    SELECT COLUMNS(* EXCLUDE (rad))
    FROM t
    WHERE COLUMNS(* EXCLUDE (rad)) IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
)
SELECT COLUMNS(* EXCLUDE (rad)), min(rad, 7) AS rader, count(*) OVER () AS nycklar
FROM t
WHERE struct_pack(*COLUMNS(* EXCLUDE (rad))) IN (SELECT struct_pack(*COLUMNS(*)) FROM upprepade)
GROUP BY ALL
ORDER BY min(rad)
LIMIT $antal
