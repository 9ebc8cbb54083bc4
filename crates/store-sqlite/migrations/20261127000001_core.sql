-- Jirga's core tables: sites, threads, authors, comments, votes, reports.
-- Times are Unix milliseconds (UTC).

CREATE TABLE sites (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    allowed_origins     TEXT NOT NULL DEFAULT '[]',   -- JSON array of origins
    auto_create_threads INTEGER NOT NULL DEFAULT 1,
    premoderate         INTEGER NOT NULL DEFAULT 0,
    api_key_hash        TEXT NOT NULL,
    created_at          INTEGER NOT NULL
);

CREATE TABLE threads (
    id              INTEGER PRIMARY KEY,
    site_id         TEXT NOT NULL REFERENCES sites(id),
    key             TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    url             TEXT,
    body_text       TEXT NOT NULL DEFAULT '',
    closed          INTEGER NOT NULL DEFAULT 0,
    published_count INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    UNIQUE (site_id, key)
);

CREATE TABLE authors (
    id          INTEGER PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    name        TEXT NOT NULL,
    email       TEXT,
    affiliation TEXT,
    verified    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX authors_by_name ON authors (site_id, name COLLATE NOCASE);

CREATE TABLE comments (
    id                 INTEGER PRIMARY KEY,
    thread_id          INTEGER NOT NULL REFERENCES threads(id),
    parent_id          INTEGER REFERENCES comments(id),
    root_id            INTEGER REFERENCES comments(id),
    depth              INTEGER NOT NULL DEFAULT 0,
    author_id          INTEGER NOT NULL REFERENCES authors(id),
    body_markdown      TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('published', 'held', 'rejected', 'deleted')),
    moderation_reasons TEXT NOT NULL DEFAULT '[]',         -- JSON array of {code, message}
    moderation_version TEXT NOT NULL DEFAULT '',
    edit_token_hash    TEXT NOT NULL,
    votes              INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    edited_at          INTEGER
);
-- Top-level paging, newest/oldest and top.
CREATE INDEX comments_top_by_time ON comments (thread_id, created_at, id) WHERE parent_id IS NULL;
CREATE INDEX comments_top_by_votes ON comments (thread_id, votes DESC, id) WHERE parent_id IS NULL;
-- Everything under a top-level comment.
CREATE INDEX comments_by_root ON comments (root_id, status);
CREATE INDEX comments_by_thread_status ON comments (thread_id, status);

CREATE TABLE votes (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    voter      TEXT NOT NULL,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, voter)
);

CREATE TABLE reports (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    reporter   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (comment_id, reporter)
);

CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
