-- Rows of a (by their number, rad) whose deltagare_id and insats_id occur in b; a missing id
-- matches a missing one, as in the rest of the cross-checks.
SELECT a.rad
FROM a
WHERE EXISTS (
    SELECT 1 FROM b
    WHERE b.deltagare_id IS NOT DISTINCT FROM a.deltagare_id
      AND b.insats_id IS NOT DISTINCT FROM a.insats_id
)
