-- insats_finns: whether the current data's register has an insats.
-- Parameters: $insats_id.
-- Columns: finns (1); no row when it has not.
SELECT 1 AS finns FROM insatser WHERE insats_id = $insats_id
