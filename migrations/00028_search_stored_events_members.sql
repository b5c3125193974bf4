-- Search (/suche): events and members get stored search vectors, like
-- articles, pages and topics (migrations 00023, 00027). Every search
-- matches words as prefixes ("Resil" finds "Resilienz"), and a GIN match of
-- a prefix is checked again against the row: with the expression indexes
-- of 00023 that meant analysing title, summary and description of every
-- matching event and member once more. A word in every record ("Stadt",
-- "Sicherheit") cost 30 ms for that alone at a hundred times today's data.
-- The stored vector is read instead; "search_head" (the title or name) is
-- what ranks. The events_touch trigger still sees a change only where a
-- column the office edits changed: it leaves the generated columns out.
--
-- Each statement on its own, repeatable, one table at a time (see 00027).

-- +goose NO TRANSACTION
-- +goose Up
-- A BEFORE trigger sees generated columns not yet computed: events_touch
-- leaves them out of its comparison (their sources are in it).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookkeeping CONSTANT text[] := ARRAY['published', 'version', 'sequence', 'updated_at', 'previous_starts_at',
        'registration_mode', 'capacity', 'registration_deadline', 'places_per_member', 'online_url_members',
        'show_participants', 'search', 'search_head'];
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
    ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (
        defus_tsv3(title, summary || ' ' || place_name || ' ' || city, description || ' ' || partners)) STORED,
    ADD COLUMN IF NOT EXISTS search_head tsvector GENERATED ALWAYS AS (defus_tsv(title, 'A')) STORED;
CREATE INDEX IF NOT EXISTS events_search_stored_idx ON events USING gin (search) WITH (fastupdate = off);
DROP INDEX IF EXISTS events_search_idx;
ALTER TABLE members
    ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (
        defus_tsv3(name || ' ' || short_name, state, description)) STORED,
    ADD COLUMN IF NOT EXISTS search_head tsvector GENERATED ALWAYS AS (defus_tsv(name || ' ' || short_name, 'A')) STORED;
CREATE INDEX IF NOT EXISTS members_search_stored_idx ON members USING gin (search) WITH (fastupdate = off);
DROP INDEX IF EXISTS members_search_idx;

-- +goose Down
CREATE INDEX IF NOT EXISTS members_search_idx ON members USING gin (defus_tsv3(name || ' ' || short_name, state, description)) WITH (fastupdate = off);
DROP INDEX IF EXISTS members_search_stored_idx;
ALTER TABLE members DROP COLUMN IF EXISTS search_head, DROP COLUMN IF EXISTS search;
CREATE INDEX IF NOT EXISTS events_search_idx ON events USING gin (
    defus_tsv3(title, summary || ' ' || place_name || ' ' || city, description || ' ' || partners)) WITH (fastupdate = off);
DROP INDEX IF EXISTS events_search_stored_idx;
ALTER TABLE events DROP COLUMN IF EXISTS search_head, DROP COLUMN IF EXISTS search;
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
