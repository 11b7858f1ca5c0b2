-- laddning_deltagare: the participant episodes of the current data and whether each has
-- ended, to tell an extract's new ones and those that ended since.
-- Parameters: none.
-- Columns: deltagare_id, insats_id, slutad.
SELECT deltagare_id, insats_id, slutdatum IS NOT NULL AS slutad FROM deltagare
