-- Imports from other comment systems (issue #14). Each import is a batch; `imported` maps a
-- source record (site, source, external id) to the comment made from it, so running the
-- same file again adds nothing and a batch can be undone exactly. `imported_authors` does
-- the same for the source's commenters, `import_threads` lists the threads a batch created.
CREATE TABLE import_batches (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    source     TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    report     TEXT NOT NULL DEFAULT '{}',   -- JSON: counts by state and skip reason
    created_at INTEGER NOT NULL,
    undone_at  INTEGER
);

CREATE TABLE imported (
    site_id            TEXT NOT NULL REFERENCES sites(id),
    source             TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    comment_id         INTEGER NOT NULL REFERENCES comments(id),
    batch_id           INTEGER NOT NULL REFERENCES import_batches(id),
    -- The parent's external id while the parent has not been read yet (it came later in the file).
    parent_external_id TEXT,
    PRIMARY KEY (site_id, source, external_id)
);
CREATE INDEX imported_by_batch ON imported (batch_id);
CREATE INDEX imported_by_comment ON imported (comment_id);

CREATE TABLE imported_authors (
    site_id    TEXT NOT NULL REFERENCES sites(id),
    source     TEXT NOT NULL,
    author_key TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES authors(id),
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
    PRIMARY KEY (site_id, source, author_key)
);

CREATE TABLE import_threads (
    batch_id  INTEGER NOT NULL REFERENCES import_batches(id),
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    PRIMARY KEY (batch_id, thread_id)
);
