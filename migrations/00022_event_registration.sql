-- Registration for events (issue 13) and the events' protected online link
-- (issue 12).

-- +goose Up

-- Per event, the office decides: registration off, for members only or open
-- to everyone; a capacity (NULL: unlimited); a deadline (NULL: until the
-- start); at most so many places per member organisation (NULL: no limit).
-- online_url_members: logged-in members see the online link too (confirmed
-- participants always do). show_participants: members see which
-- organisations registered, of those who agreed.
ALTER TABLE events
    ADD COLUMN registration_mode      text NOT NULL DEFAULT 'off' CHECK (registration_mode IN ('off', 'members', 'open')),
    ADD COLUMN capacity               int CHECK (capacity > 0),
    ADD COLUMN registration_deadline  timestamptz,
    ADD COLUMN places_per_member      int CHECK (places_per_member > 0),
    ADD COLUMN online_url_members     boolean NOT NULL DEFAULT false,
    ADD COLUMN show_participants      boolean NOT NULL DEFAULT false;

-- The registration settings are not part of the calendar entry: changing
-- them keeps SEQUENCE and LAST-MODIFIED (see 00016).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookkeeping CONSTANT text[] := ARRAY['published', 'version', 'sequence', 'updated_at', 'previous_starts_at',
        'registration_mode', 'capacity', 'registration_deadline', 'places_per_member', 'online_url_members',
        'show_participants'];
BEGIN
    IF NEW.starts_at IS DISTINCT FROM OLD.starts_at
       OR (NEW.status = 'postponed' AND OLD.status IS DISTINCT FROM 'postponed') THEN
        NEW.previous_starts_at := OLD.starts_at;
    END IF;
    IF to_jsonb(NEW) - bookkeeping = to_jsonb(OLD) - bookkeeping THEN
        NEW.sequence := OLD.sequence;
        NEW.updated_at := OLD.updated_at;
    ELSE
        NEW.sequence := OLD.sequence + 1;
        IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            NEW.updated_at := now();
        END IF;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Arrival order of registrations and of the waitlist: taken while the
-- event's row is locked, so it is the order in which they were decided.
CREATE SEQUENCE event_registrations_queue_seq;

-- One row per person and event. email_key is the normalised address
-- (lower case): nobody holds two places in one event with one address. A
-- cancelled row is taken again when the person registers again.
--
-- state: pending (guest, not yet confirmed by mail; holds no place, deleted
-- after 24 h), confirmed (holds a place), waiting (on the waitlist, name and
-- e-mail only), offered (a place opened: holds it until offered_until),
-- cancelled. Places held = confirmed + offered.
--
-- link_key is a random value that the person's links are signed over
-- (HMAC with FORM_SECRET, with the link's purpose and the registration's
-- id): a link for one purpose or registration does not work for another,
-- and registering again after a cancellation makes the old links void.
CREATE TABLE event_registrations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    email             text NOT NULL CHECK (email <> '' AND length(email) <= 254),
    email_key         text NOT NULL,
    name              text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    organisation      text NOT NULL DEFAULT '',
    member_id         bigint REFERENCES members (id) ON DELETE SET NULL,
    user_id           bigint REFERENCES users (id) ON DELETE SET NULL,
    state             text NOT NULL CHECK (state IN ('pending', 'confirmed', 'waiting', 'offered', 'cancelled')),
    queue_pos         bigint NOT NULL DEFAULT nextval('event_registrations_queue_seq'),
    link_key          bytea NOT NULL,
    show_organisation boolean NOT NULL DEFAULT false,
    offered_until     timestamptz,
    confirmed_at      timestamptz,
    cancelled_at      timestamptz,
    reminded_at       timestamptz,
    attended          boolean,
    by_office         boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           int NOT NULL DEFAULT 1,
    UNIQUE (event_id, email_key),
    CHECK (state <> 'offered' OR offered_until IS NOT NULL)
);
CREATE INDEX event_registrations_queue_idx ON event_registrations (event_id, state, queue_pos);
CREATE INDEX event_registrations_email_idx ON event_registrations (email_key);
CREATE INDEX event_registrations_user_idx ON event_registrations (user_id) WHERE user_id IS NOT NULL;

-- Mails may carry one attachment (the .ics of a confirmed registration).
ALTER TABLE mails
    ADD COLUMN attachment_name text NOT NULL DEFAULT '',
    ADD COLUMN attachment_type text NOT NULL DEFAULT '',
    ADD COLUMN attachment      bytea;

-- A member account's personal calendar feed of the events it registered
-- for: the address holds a secret token (only its hash is kept); renewing
-- it makes the old address void.
CREATE TABLE member_calendar_tokens (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE member_calendar_tokens;
ALTER TABLE mails DROP COLUMN attachment, DROP COLUMN attachment_type, DROP COLUMN attachment_name;
DROP TABLE event_registrations;
DROP SEQUENCE event_registrations_queue_seq;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookkeeping CONSTANT text[] := ARRAY['published', 'version', 'sequence', 'updated_at', 'previous_starts_at'];
BEGIN
    IF NEW.starts_at IS DISTINCT FROM OLD.starts_at
       OR (NEW.status = 'postponed' AND OLD.status IS DISTINCT FROM 'postponed') THEN
        NEW.previous_starts_at := OLD.starts_at;
    END IF;
    IF to_jsonb(NEW) - bookkeeping = to_jsonb(OLD) - bookkeeping THEN
        NEW.sequence := OLD.sequence;
        NEW.updated_at := OLD.updated_at;
    ELSE
        NEW.sequence := OLD.sequence + 1;
        IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            NEW.updated_at := now();
        END IF;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
ALTER TABLE events
    DROP COLUMN show_participants, DROP COLUMN online_url_members, DROP COLUMN places_per_member,
    DROP COLUMN registration_deadline, DROP COLUMN capacity, DROP COLUMN registration_mode;
