-- Accounts for everybody (issue 12, accounts part): invitations, password
-- reset and e-mail confirmation links, the sessions of each account, and
-- the office's second factor.
--
-- An invited account has no password yet (password_hash = ''): it cannot
-- log in until its invitation link is used. invited_at says when the last
-- invitation went out.
--
-- A link's token is stored only as its SHA-256 hash; the token itself is in
-- the link of the mail and nowhere else (the mail's copy of the link is
-- blanked when the link is used or withdrawn). Each account has at most one
-- live link per purpose: a new one replaces the old.
--
-- user_sessions names the account of every logged-in session, under the
-- hash of the session token (scs keeps the token in sessions): an account
-- can list its sessions and end them, and a password reset ends them all.
-- A session without a row here is logged out.
--
-- The second factor: totp_secret is the TOTP key encrypted with AES-GCM
-- under a key derived from FORM_SECRET; totp_last_step is the last time step
-- a code was accepted in, so a code is never accepted twice. Recovery codes
-- are stored as SHA-256 hashes and deleted when used.

-- +goose Up
ALTER TABLE users
    ADD COLUMN invited_at      timestamptz,
    ADD COLUMN totp_secret     bytea,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT users_totp_check CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('invitation', 'password_reset', 'email_change')),
    new_email  text NOT NULL DEFAULT '' CHECK (length(new_email) <= 254),
    mail_id    bigint REFERENCES mails (id) ON DELETE SET NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (user_id, purpose)
);
CREATE INDEX account_tokens_expires_idx ON account_tokens (expires_at);

-- The mails of an account (invitation, reset, confirmation) go with it.
ALTER TABLE mails ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX mails_user_idx ON mails (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE user_sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agent        text NOT NULL DEFAULT '' CHECK (length(agent) <= 100),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- +goose Down
DROP TABLE recovery_codes;
DROP TABLE user_sessions;
DROP INDEX mails_user_idx;
ALTER TABLE mails DROP COLUMN user_id;
DROP TABLE account_tokens;
ALTER TABLE users
    DROP CONSTRAINT users_totp_check,
    DROP COLUMN totp_last_step,
    DROP COLUMN totp_enabled_at,
    DROP COLUMN totp_secret,
    DROP COLUMN invited_at;
