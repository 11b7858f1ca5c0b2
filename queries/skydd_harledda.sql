-- skydd_harledda: the cells not shown whose value what is shown gives away (the stored
-- protection; the next load's decision takes them as known).
-- Parameters: none.
-- Columns: familj, atomer.
SELECT familj, atomer FROM skydd_harledd
