-- laddning_budget: the budget rows of the current data, to tell which of an extract's differ.
-- Parameters: none.
-- Columns: insats_id, q, budget_tkr, utfall_tkr, overfort_tkr, aterfort_tkr.
SELECT insats_id, q, budget_tkr, utfall_tkr, overfort_tkr, aterfort_tkr FROM budget
