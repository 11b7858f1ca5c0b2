-- A new version of one of the kansli's texts (the next number after its newest).
INSERT INTO texter
SELECT $kvartal, $avsnitt, $insats_id, coalesce(max(version), 0) + 1, $text, $skriven_av,
       $skriven
FROM texter
WHERE kvartal = $kvartal AND avsnitt = $avsnitt AND insats_id = $insats_id
RETURNING version
