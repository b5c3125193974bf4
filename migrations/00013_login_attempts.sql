-- Login attempts, counted before the password is checked, so that every
-- instance of the server shares one allowance (see internal/server/logins.go).
-- key is a keyed hash (HMAC with a key derived from FORM_SECRET) of what is
-- counted: an account and a client network, a client network across
-- accounts, an account for clients it does not recognise, or one recognised
-- device. Neither IP addresses nor typed e-mail addresses are stored.
-- user_id names the account when the e-mail address has one, so that
-- `defus user unlock` and a new password can delete its counters; it has no
-- foreign key, so the login path never locks the users table, and a
-- deleted account's rows simply expire. A row means nothing after
-- expires_at; the retention pass of the mail worker deletes such rows.

-- +goose Up
CREATE TABLE login_attempts (
    key        bytea PRIMARY KEY,
    user_id    bigint,
    attempts   int NOT NULL CHECK (attempts >= 0),
    expires_at timestamptz NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX login_attempts_expires_idx ON login_attempts (expires_at);

-- Failed logins are no longer counted in the audit log.
DROP INDEX audit_log_login_failed_idx;

-- +goose Down
CREATE INDEX audit_log_login_failed_idx ON audit_log (entity_id, at) WHERE action = 'login_failed';
DROP TABLE login_attempts;
