-- Readers' accounts (email and password, or OpenID Connect), their sessions and mailed tokens;
-- admins per site; bans by email and by address hash, and shadow-bans.

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    email             TEXT UNIQUE COLLATE NOCASE,  -- NULL: an OpenID identity without one
    name              TEXT NOT NULL,
    password_hash     TEXT,                        -- NULL: signs in only through OpenID Connect
    email_verified    INTEGER NOT NULL DEFAULT 0,
    oidc_issuer       TEXT,
    oidc_subject      TEXT,
    created_at        INTEGER NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

CREATE TABLE account_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);

-- Single-use tokens sent by mail (verification, password reset); only their hashes are kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    expires_at INTEGER NOT NULL
);
CREATE INDEX account_tokens_by_account ON account_tokens (account_id);

-- An account has one author record per site it comments on (badges are per site).
ALTER TABLE authors ADD COLUMN account_id INTEGER REFERENCES accounts(id);
CREATE UNIQUE INDEX authors_by_account ON authors (site_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX authors_by_email ON authors (site_id, email COLLATE NOCASE);

ALTER TABLE moderator_sites ADD COLUMN role TEXT NOT NULL DEFAULT 'moderator'
    CHECK (role IN ('moderator', 'admin'));

-- The poster's address, hashed with the salt of its period.
ALTER TABLE comments ADD COLUMN ip_hash TEXT;

ALTER TABLE bans ADD COLUMN email TEXT COLLATE NOCASE;
ALTER TABLE bans ADD COLUMN ip_hash TEXT;
ALTER TABLE bans ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0;
CREATE INDEX bans_by_site ON bans (site_id, until);
