-- Webhooks: a site's subscriptions, and the outbox of deliveries (kept until delivered or
-- given up, so a restart loses none; each has the event's id for the receiver to de-duplicate).
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,               -- JSON list of event names
    format     TEXT NOT NULL CHECK (format IN ('json', 'slack', 'discord')),
    created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_by_site ON webhooks (site_id);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    given_up        INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER,
    last_error      TEXT,
    last_response   TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND given_up = 0;
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, id);

-- Changes webhooks may be told of, written in the transaction that makes the change (only
-- for sites with webhooks), so that a crash just after a commit cannot lose the event; the
-- worker turns each into deliveries and deletes it, in one transaction.
CREATE TABLE webhook_journal (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    event      TEXT NOT NULL,
    comment_id INTEGER NOT NULL,
    detail     TEXT,
    created_at INTEGER NOT NULL
);
