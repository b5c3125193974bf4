-- +goose Up

-- German collation so that "Öhringen" sorts with "O", not after "Z".
CREATE COLLATION IF NOT EXISTS german (provider = icu, locale = 'de-DE');

-- Sessions as scs/pgxstore expects them.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- The association itself: one row, editable by the office. Key figures such as
-- the founding year come from here, never from the code.
CREATE TABLE association (
    id            int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name          text NOT NULL,
    short_name    text NOT NULL,
    founded_on    date NOT NULL,
    founded_place text NOT NULL DEFAULT '',
    street        text NOT NULL DEFAULT '',
    postcode      text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       int NOT NULL DEFAULT 1
);

CREATE TABLE members (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name            text NOT NULL CHECK (name <> ''),
    short_name      text COLLATE german NOT NULL CHECK (short_name <> ''),
    kind            text NOT NULL CHECK (kind IN ('city', 'organisation')),
    state           text NOT NULL DEFAULT '',
    population      int CHECK (population > 0),
    population_year int,
    member_since    int CHECK (member_since BETWEEN 1987 AND 2200),
    lat             double precision CHECK (lat BETWEEN -90 AND 90),
    lon             double precision CHECK (lon BETWEEN -180 AND 180),
    website         text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    published       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         int NOT NULL DEFAULT 1
);
CREATE INDEX members_short_name_idx ON members (short_name);

CREATE TABLE member_contacts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id  bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    position   int NOT NULL DEFAULT 0,
    name       text NOT NULL CHECK (name <> ''),
    function   text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    public     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    int NOT NULL DEFAULT 1
);
CREATE INDEX member_contacts_member_idx ON member_contacts (member_id, position);

CREATE TABLE topics (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title       text COLLATE german NOT NULL CHECK (title <> ''),
    summary     text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    pillar      boolean NOT NULL DEFAULT false,
    position    int NOT NULL DEFAULT 0,
    published   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     int NOT NULL DEFAULT 1
);

CREATE TABLE member_topics (
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic_id  bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, topic_id)
);
CREATE INDEX member_topics_topic_idx ON member_topics (topic_id);

CREATE TABLE pages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title      text NOT NULL CHECK (title <> ''),
    summary    text NOT NULL DEFAULT '',
    body       text NOT NULL DEFAULT '',
    legal      boolean NOT NULL DEFAULT false,
    published  boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    int NOT NULL DEFAULT 1,
    -- Legal pages (Impressum, Datenschutz, Barrierefreiheit) must always be reachable.
    CHECK (NOT legal OR published)
);

-- +goose Down
DROP TABLE pages;
DROP TABLE member_topics;
DROP TABLE topics;
DROP TABLE member_contacts;
DROP TABLE members;
DROP TABLE association;
DROP TABLE sessions;
DROP COLLATION IF EXISTS german;
