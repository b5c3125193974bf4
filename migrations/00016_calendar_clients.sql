-- What calendar clients and bookmarks need to get every case right
-- (issue 11, section 4).

-- +goose Up

-- The start an event had before it was postponed or moved, for schema.org's
-- previousStartDate. The trigger below keeps it: whenever the start moves,
-- and when the status becomes "postponed", it takes the start as it was.
ALTER TABLE events ADD COLUMN previous_starts_at timestamptz;

-- SEQUENCE and updated_at (LAST-MODIFIED) rise only when the event itself
-- changes: any column but the bookkeeping ones below. Publishing or
-- unpublishing, and a save that changes nothing, keep the revision that
-- calendars hold (the feed's Last-Modified moves through change_stamps).
-- A new column counts as part of the event unless it is added to the list.
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

-- Events postponed before this migration were postponed at their start.
UPDATE events SET previous_starts_at = starts_at WHERE status = 'postponed';

-- Old addresses of records whose slug changed: the public site answers them
-- with a 301 to the record's address now, for as long as the record exists.
-- The store fills them in the transaction that changes the slug and removes
-- a row when a record takes that slug again (the live record wins).
CREATE TABLE event_slug_redirects (
    slug     text PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE
);
CREATE INDEX event_slug_redirects_event_idx ON event_slug_redirects (event_id);

CREATE TABLE member_slug_redirects (
    slug      text PRIMARY KEY,
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE
);
CREATE INDEX member_slug_redirects_member_idx ON member_slug_redirects (member_id);

CREATE TABLE topic_slug_redirects (
    slug     text PRIMARY KEY,
    topic_id bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE
);
CREATE INDEX topic_slug_redirects_topic_idx ON topic_slug_redirects (topic_id);

CREATE TABLE page_slug_redirects (
    slug    text PRIMARY KEY,
    page_id bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE
);
CREATE INDEX page_slug_redirects_page_idx ON page_slug_redirects (page_id);

-- When something that a kind of output shows last changed, written by the
-- store (its clock) in the transaction of the change. The calendar feeds
-- take their Last-Modified from the row 'calendar', which moves on every
-- write to events, their hosts, topics and the association, deletions and
-- unpublishing included: things that no row's updated_at can show.
CREATE TABLE change_stamps (
    kind       text PRIMARY KEY,
    changed_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE change_stamps;
DROP TABLE page_slug_redirects;
DROP TABLE topic_slug_redirects;
DROP TABLE member_slug_redirects;
DROP TABLE event_slug_redirects;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sequence := OLD.sequence + 1;
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
ALTER TABLE events DROP COLUMN previous_starts_at;
