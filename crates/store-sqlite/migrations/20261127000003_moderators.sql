-- Moderators (who may act on which sites), their sessions, bans and the modlog.

CREATE TABLE moderators (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE moderator_sites (
    moderator_id INTEGER NOT NULL REFERENCES moderators(id),
    site_id      TEXT NOT NULL REFERENCES sites(id),
    PRIMARY KEY (moderator_id, site_id)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    moderator_id INTEGER NOT NULL REFERENCES moderators(id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);

CREATE TABLE bans (
    id           INTEGER PRIMARY KEY,
    site_id      TEXT NOT NULL REFERENCES sites(id),
    author_id    INTEGER NOT NULL REFERENCES authors(id),
    until        INTEGER,              -- NULL: no expiry
    created_at   INTEGER NOT NULL
);
CREATE INDEX bans_by_author ON bans (author_id);

-- Every moderation action. Rows are added, never changed: the triggers refuse it.
CREATE TABLE modlog (
    id           INTEGER PRIMARY KEY,
    site_id      TEXT NOT NULL,
    moderator_id INTEGER,              -- NULL: the pipeline or the command line
    moderator    TEXT NOT NULL,
    action       TEXT NOT NULL,
    comment_id   INTEGER,
    author_id    INTEGER,
    note         TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX modlog_by_site ON modlog (site_id, id);
CREATE TRIGGER modlog_no_update BEFORE UPDATE ON modlog BEGIN SELECT RAISE(ABORT, 'the modlog cannot be changed'); END;
CREATE TRIGGER modlog_no_delete BEFORE DELETE ON modlog BEGIN SELECT RAISE(ABORT, 'the modlog cannot be changed'); END;

CREATE INDEX comments_by_status ON comments (status, created_at);
CREATE INDEX reports_by_comment ON reports (comment_id);

-- A report is resolved when a moderator acts on the comment or dismisses the reports.
ALTER TABLE reports ADD COLUMN resolved_at INTEGER;
