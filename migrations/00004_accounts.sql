-- +goose Up

-- Accounts of the office staff and of member representatives. The e-mail
-- address is unique regardless of case; the password is stored only as an
-- argon2id PHC string.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email <> '' AND length(email) <= 254),
    name          text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    role          text NOT NULL CHECK (role IN ('admin', 'editor', 'member')),
    member_id     bigint REFERENCES members (id) ON DELETE SET NULL,
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));
CREATE INDEX users_member_idx ON users (member_id) WHERE member_id IS NOT NULL;

-- The audit log is kept apart from the content: no foreign keys, and the
-- actor's name and e-mail are copied, so deleting a record or an account
-- keeps its history. changes holds {"field": [old, new]}, never passwords.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     bigint,
    actor_name   text NOT NULL DEFAULT '',
    actor_email  text NOT NULL DEFAULT '',
    action       text NOT NULL CHECK (action <> ''),
    entity       text NOT NULL DEFAULT '',
    entity_id    bigint,
    entity_label text NOT NULL DEFAULT '',
    changes      jsonb NOT NULL DEFAULT '{}',
    request_id   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at DESC);
-- Counting recent failed logins per account must stay cheap under attack.
CREATE INDEX audit_log_login_failed_idx ON audit_log (entity_id, at) WHERE action = 'login_failed';

-- +goose Down
DROP TABLE audit_log;
DROP TABLE users;
