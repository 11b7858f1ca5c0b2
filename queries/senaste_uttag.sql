-- senaste_uttag: the newest loaded extract (the one the pages' snapshot tables come from).
-- Parameters: none.
-- Columns: forbund, period, uttagsdatum (NULL when the extract did not say), loaded_at, kalla.
SELECT forbund, period, uttagsdatum, loaded_at, kalla
FROM loads
ORDER BY q DESC, active_seq DESC
LIMIT 1
