-- skydd_enheter: each published spec's atoms per insats (the stored protection).
-- Parameters: none.
-- Columns: familj, forsta, sista, namn, insats_id, atomer, implicit.
SELECT familj, forsta, sista, namn, insats_id, atomer, implicit FROM skydd_enhet
