-- Mail to readers and moderators: an outbox kept until each mail is sent or given up, so a
-- restart loses none; any instance may send a mail once it has claimed it.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    site_id         TEXT REFERENCES sites(id),
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    unsubscribe     TEXT,                       -- the List-Unsubscribe URL, when there is one
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    given_up        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND given_up = 0;

-- A reader's address on a site (lower case): whether it is confirmed (and the one author
-- record it stands for), whether replies are mailed to it, when mail last went to it.
CREATE TABLE mail_readers (
    site_id         TEXT NOT NULL REFERENCES sites(id),
    email           TEXT NOT NULL,
    author_id       INTEGER REFERENCES authors(id),
    confirmed_at    INTEGER,
    confirm_sent_at INTEGER,
    replies         INTEGER NOT NULL DEFAULT 0,
    replies_sent_at INTEGER,
    PRIMARY KEY (site_id, email)
);

-- Published replies not yet mailed to the author of the comment they answer.
CREATE TABLE reply_notices (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    email      TEXT NOT NULL,
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX reply_notices_by_reader ON reply_notices (site_id, email, id);

-- A moderator's digest of the queue: every so many hours (0: none), and when it last went.
ALTER TABLE moderators ADD COLUMN digest_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderators ADD COLUMN digest_sent_at INTEGER;
