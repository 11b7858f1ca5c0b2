-- Keys that occur on more than one row of t (its columns: the file's key columns and rad, the
-- row's number): the key, its first rows (up to seven) and how many duplicated keys there
-- are in all; in the order of their first row, at most $antal keys. Rows with a missing key
-- value are not judged (their missing value is reported already).
SELECT COLUMNS(* EXCLUDE (rad)), min(rad, 7) AS rader, count(*) OVER () AS nycklar
FROM t
WHERE COLUMNS(* EXCLUDE (rad)) IS NOT NULL
GROUP BY ALL
HAVING count(*) > 1
ORDER BY min(rad)
LIMIT $antal
