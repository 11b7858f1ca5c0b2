-- Rows of a (by their number, rad) whose deltagare_id and insats_id do not occur in b; a
-- missing id matches a missing one, as in the rest of the cross-checks. (A clean extract
-- has few such rows, so few come back.)
SELECT a.rad
FROM a
WHERE NOT EXISTS (
    SELECT 1 FROM b
    WHERE b.deltagare_id IS NOT DISTINCT FROM a.deltagare_id
      AND b.insats_id IS NOT DISTINCT FROM a.insats_id
)
