-- +goose Up

-- Meetings, workshops, trainings and conferences of the network.
--
-- starts_at/ends_at are instants, shown in Europe/Berlin. ends_at is always the
-- moment the event is over: for an all-day event starts_at is midnight (Berlin)
-- of the first day and ends_at midnight after the last day, so "upcoming" is
-- ends_at > now and iCalendar's exclusive DTEND needs no arithmetic.
--
-- uid is the iCalendar UID and never changes. sequence is the iCalendar
-- SEQUENCE: calendar apps keep their old copy unless it rises, so the trigger
-- below raises it and sets updated_at (LAST-MODIFIED) on every UPDATE that
-- changes the row, whichever code path runs it. version (optimistic locking)
-- stays the job of the store's Update method.
CREATE TABLE events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title             text NOT NULL CHECK (title <> ''),
    kind              text NOT NULL CHECK (kind IN ('meeting', 'workshop', 'training', 'conference', 'other')),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    all_day           boolean NOT NULL DEFAULT false,
    format            text NOT NULL DEFAULT 'in_person' CHECK (format IN ('in_person', 'online', 'hybrid')),
    place_name        text NOT NULL DEFAULT '',
    street            text NOT NULL DEFAULT '',
    postcode          text NOT NULL DEFAULT '',
    city              text NOT NULL DEFAULT '',
    online_url        text NOT NULL DEFAULT '',
    online_url_public boolean NOT NULL DEFAULT false,
    host_member_id    bigint REFERENCES members (id) ON DELETE SET NULL,
    partners          text NOT NULL DEFAULT '',
    summary           text NOT NULL DEFAULT '',
    description       text NOT NULL DEFAULT '',
    registration_note text NOT NULL DEFAULT '',
    registration_url  text NOT NULL DEFAULT '',
    status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'postponed')),
    published         boolean NOT NULL DEFAULT true,
    uid               text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
    sequence          int NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           int NOT NULL DEFAULT 1,
    CHECK (ends_at >= starts_at),
    CHECK (NOT all_day OR ends_at > starts_at)
);
CREATE INDEX events_starts_at_idx ON events (starts_at);
CREATE INDEX events_ends_at_idx ON events (ends_at);
CREATE INDEX events_host_idx ON events (host_member_id);

-- +goose StatementBegin
CREATE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sequence := OLD.sequence + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER events_touch BEFORE UPDATE ON events
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION events_touch();

CREATE TABLE event_topics (
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    topic_id bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, topic_id)
);
CREATE INDEX event_topics_topic_idx ON event_topics (topic_id);

-- +goose Down
DROP TABLE event_topics;
DROP TABLE events;
DROP FUNCTION events_touch();
