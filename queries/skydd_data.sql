-- skydd_data: what a decision of the protection is of: the loads that make the current data
-- (a load or an activation changes them).
-- Parameters: none.
-- Columns: active_seq (the newest), loads (how many).
SELECT max(active_seq) AS active_seq, count(*) AS loads FROM loads
