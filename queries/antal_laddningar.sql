-- antal_laddningar: how many loads the database holds.
-- Parameters: none.
-- Columns: antal.
SELECT count(*) AS antal FROM loads
