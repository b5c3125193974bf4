-- News and interviews (/aktuelles), and the German full-text search (/suche).
--
-- Search: every searchable table gets a stored tsvector built with the
-- german configuration (stemming: "Städte" and "Stadt" are both 'stadt')
-- over unaccented text (é → e, ö → o; the German stemmer folds umlauts too),
-- weighted A (title, name), B (summary, lead) and C (text), with a GIN
-- index. defus_unaccent is the immutable wrapper that generated columns and
-- indexes need (unaccent itself is only stable, since its dictionary could
-- change); defus_fold is what the office's list searches compare.
-- The functions name the schema of what they call (public.): pg_restore
-- runs with an empty search_path while it fills the generated columns and
-- would not find unaccent or the other defus_ functions otherwise (tested
-- in internal/postgres). They do not SET a search_path instead: that would
-- keep PostgreSQL from inlining them, and a search took 30 times longer.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;

-- +goose StatementBegin
CREATE FUNCTION defus_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- +goose StatementEnd

-- defus_fold is text as the office's list searches compare it: lower case,
-- umlauts and accents folded ("Öhringen" → "ohringen").
-- +goose StatementBegin
CREATE FUNCTION defus_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.defus_unaccent($1)) $$;
-- +goose StatementEnd

-- defus_translit is text with umlauts written out ("Öhringen" → "oehringen"),
-- so that a search typed that way finds the name too.
-- +goose StatementBegin
CREATE FUNCTION defus_translit(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.defus_fold(replace(replace(replace(replace(lower($1), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')) $$;
-- +goose StatementEnd

-- defus_tsv weighs one text for the search.
-- +goose StatementBegin
CREATE FUNCTION defus_tsv(body text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT setweight(to_tsvector('german'::regconfig, public.defus_unaccent(coalesce(body, ''))), weight) $$;
-- +goose StatementEnd

CREATE TABLE articles (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    kind           text NOT NULL CHECK (kind IN ('news', 'interview', 'press', 'member_news')),
    title          text NOT NULL CHECK (title <> ''),
    lead           text NOT NULL DEFAULT '',
    body           text NOT NULL DEFAULT '',
    -- An interview's questions and answers as the office writes them
    -- ("F: …" and "A: …" paragraphs); see defus.ParseInterview.
    interview      text NOT NULL DEFAULT '',
    interviewee    text NOT NULL DEFAULT '',
    image_media_id bigint REFERENCES media (id) ON DELETE SET NULL,
    image_alt      text NOT NULL DEFAULT '',
    -- "Neues aus den Mitgliedern" is attributed to a member.
    member_id      bigint REFERENCES members (id) ON DELETE SET NULL,
    -- Visible from this moment on when published: a later one schedules it.
    published_at   timestamptz NOT NULL,
    published      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        int NOT NULL DEFAULT 1,
    search         tsvector GENERATED ALWAYS AS (
        defus_tsv(title, 'A') || defus_tsv(lead || ' ' || interviewee, 'B') || defus_tsv(body || ' ' || interview, 'C')
    ) STORED
);
CREATE INDEX articles_published_at_idx ON articles (published_at DESC) WHERE published;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_member_idx ON articles (member_id);

CREATE TABLE article_topics (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id   bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, topic_id)
);
CREATE INDEX article_topics_topic_idx ON article_topics (topic_id);

CREATE TABLE article_members (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    member_id  bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, member_id)
);
CREATE INDEX article_members_member_idx ON article_members (member_id);

CREATE TABLE article_slug_redirects (
    slug       text PRIMARY KEY,
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- Pages and topics, whose texts are long, get a stored search vector too,
-- so that ranking reads it instead of analysing every matching text again.
-- Members, contact persons and events keep expression indexes: their
-- columns are changed by other features (events_touch even compares whole
-- rows to decide whether an event changed, where a generated column would
-- read as a change every time), and the store ranks them by their short
-- texts alone (name, title). The store's search uses exactly these
-- expressions.
ALTER TABLE pages ADD COLUMN search tsvector GENERATED ALWAYS AS (
    defus_tsv(title, 'A') || defus_tsv(summary, 'B') || defus_tsv(body, 'C')) STORED;
CREATE INDEX pages_search_idx ON pages USING gin (search);
ALTER TABLE topics ADD COLUMN search tsvector GENERATED ALWAYS AS (
    defus_tsv(title, 'A') || defus_tsv(summary, 'B') || defus_tsv(description, 'C')) STORED;
CREATE INDEX topics_search_idx ON topics USING gin (search);

-- +goose StatementBegin
CREATE FUNCTION defus_tsv3(a text, b text, c text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT public.defus_tsv(a, 'A') || public.defus_tsv(b, 'B') || public.defus_tsv(c, 'C') $$;
-- +goose StatementEnd
CREATE INDEX members_search_idx ON members USING gin (defus_tsv3(name || ' ' || short_name, state, description));
CREATE INDEX member_contacts_search_idx ON member_contacts USING gin (defus_tsv3(name, function, ''));
CREATE INDEX events_search_idx ON events USING gin (
    defus_tsv3(title, summary || ' ' || place_name || ' ' || city, description || ' ' || partners));

-- +goose Down
DROP INDEX events_search_idx;
DROP INDEX member_contacts_search_idx;
DROP INDEX members_search_idx;
DROP FUNCTION defus_tsv3(text, text, text);
ALTER TABLE topics DROP COLUMN search;
ALTER TABLE pages DROP COLUMN search;
DROP TABLE article_slug_redirects;
DROP TABLE article_members;
DROP TABLE article_topics;
DROP TABLE articles;
DROP FUNCTION defus_tsv(text, "char");
DROP FUNCTION defus_translit(text);
DROP FUNCTION defus_fold(text);
DROP FUNCTION defus_unaccent(text);
