-- laddning_lampor: every insats's goal light in every loaded quarter (the preview compares
-- an extract's lights with them; the contract's rule is the database's lampa() macro).
-- Parameters: none.
-- Columns: insats_id, q, lampa ('gron' | 'gul' | 'rod', NULL without a report).
SELECT insats_id, q, lampa(i_fas, prognos) AS lampa FROM kvartalsrapport
