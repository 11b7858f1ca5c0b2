-- publicering_anonyma: anonyma and volym per insats and quarter.
-- Parameters: none.
-- Columns: insats_id, q, anonyma, volym.
SELECT insats_id, q, coalesce(anonyma, 0) AS anonyma, coalesce(volym, 0) AS volym FROM anonyma
