-- Moderation settings per site as one JSON document (thresholds, word lists, pre-moderation),
-- and the scores behind each decision, stored with the comment so decisions can be replayed.

ALTER TABLE sites ADD COLUMN policy TEXT NOT NULL DEFAULT '{}';
UPDATE sites SET policy = json_object('premoderate', json(CASE WHEN premoderate THEN 'true' ELSE 'false' END));
ALTER TABLE sites DROP COLUMN premoderate;

ALTER TABLE comments ADD COLUMN abuse_score REAL;
ALTER TABLE comments ADD COLUMN on_topic_score REAL;
