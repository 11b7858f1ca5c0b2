-- nasta_laddning: the next load's number and its place in the load order (active_seq).
-- Parameters: none.
-- Columns: load_id, active_seq.
SELECT coalesce(max(load_id), 0) + 1 AS load_id, coalesce(max(active_seq), 0) + 1 AS active_seq
FROM loads
