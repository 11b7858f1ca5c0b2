-- laddning_period_inlast: how many loads of a quarter there are (a new load of it replaces
-- the earlier one for reading: the preview says so).
-- Parameters: $period ('ÅÅÅÅ-Qn').
-- Columns: antal.
SELECT count(*) AS antal FROM loads WHERE period = $period
