-- A hash of each comment's folded text, to find the same message posted again (spam waves).
ALTER TABLE comments ADD COLUMN text_hash TEXT;
CREATE INDEX comments_by_text_hash ON comments (text_hash, created_at);
CREATE INDEX comments_by_author ON comments (author_id, status);
