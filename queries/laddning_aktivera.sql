-- laddning_aktivera: make a load the current one for its quarter (a new active_seq, the
-- highest; nothing is deleted).
-- Parameters: $load_id.
UPDATE loads SET active_seq = (SELECT max(active_seq) + 1 FROM loads) WHERE load_id = $load_id
