-- Publisher single sign-on: the `iat` of the token an account's profile was last taken from
-- (an older token never overwrites a newer profile), and publisher tokens revoked at
-- sign-out, kept until they would have expired anyway.
ALTER TABLE accounts ADD COLUMN profile_iat BIGINT;

CREATE TABLE revoked_tokens (
    site_id    TEXT NOT NULL REFERENCES sites(id),
    jti        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, jti)
);
