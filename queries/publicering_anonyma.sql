-- publicering_anonyma: anonyma and volym per insats and quarter.
-- Parameters: none.
-- Columns: insats_id, q, anonyma, volym (in that order: the protection numbers its atoms in
-- row order, and must decide the same in every process).
SELECT insats_id, q, coalesce(anonyma, 0) AS anonyma, coalesce(volym, 0) AS volym FROM anonyma
ORDER BY insats_id, q
