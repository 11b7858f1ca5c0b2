-- laddning_period: the quarter a load is of (activating an earlier load).
-- Parameters: $load_id.
-- Columns: period; no row for a load that does not exist.
SELECT period FROM loads WHERE load_id = $load_id
