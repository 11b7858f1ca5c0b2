-- laddning_historik: every load, newest first, and whether it is the current one for its
-- quarter (Dataladdning's history).
-- Parameters: none.
-- Columns: load_id, period, q, loaded_at, loaded_by, source, row_counts, checksums, aktuell.
SELECT load_id, period, q, loaded_at, loaded_by, source, row_counts, checksums,
       active_seq = max(active_seq) OVER (PARTITION BY q) AS aktuell
FROM loads ORDER BY q DESC, active_seq DESC
