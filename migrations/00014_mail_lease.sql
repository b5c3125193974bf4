-- The mail worker claims a due mail with a lease in one short transaction,
-- talks to the SMTP server outside any transaction, and records the outcome
-- in a second one. While lease_until lies ahead, no other worker takes the
-- mail; a mail whose lease ran out without an outcome (the worker crashed)
-- is due again. NULL: nobody holds it.

-- +goose Up
ALTER TABLE mails ADD COLUMN lease_until timestamptz;

-- +goose Down
ALTER TABLE mails DROP COLUMN lease_until;
