-- laddning_insatser: the insatser of the current data, to tell which of an extract's are new
-- (Dataladdning's preview).
-- Parameters: none.
-- Columns: insats_id.
SELECT insats_id FROM insatser
