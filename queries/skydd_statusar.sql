-- skydd_statusar: each decided cell's status, by its family and atoms (the stored
-- protection).
-- Parameters: none.
-- Columns: familj, atomer, status.
SELECT familj, atomer, status FROM skydd_status
