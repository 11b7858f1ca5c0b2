-- perioder: the latest loaded quarter and the first quarter with quarterly data, from which
-- views.perioder lists every quarter a filter may choose (one query for both ends).
-- Parameters: none.
-- Columns: period (the latest loaded quarter, 'ÅÅÅÅ-Qn'), forsta_q (the first quarter number
--          in kvartalsrapport or budget; NULL when neither has rows).
-- Rows: one; none before any extract is loaded.
SELECT period,
       (SELECT min(q) FROM (SELECT q FROM kvartalsrapport UNION ALL SELECT q FROM budget))
           AS forsta_q
FROM loads
ORDER BY q DESC, active_seq DESC
LIMIT 1
