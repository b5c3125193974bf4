-- +goose Up

-- The members' area (/intern): documents the office shares, profile
-- proposals of member representatives, and when a profile was confirmed.

-- Documents ("Informationssammlungen"): a PDF or office file with title,
-- description, date, topics and a visibility. The file lives here, not in
-- media: /medien/{id} serves to anybody, a document only to whom its
-- visibility allows. Its address holds token, a random string, so the
-- addresses of documents cannot be guessed or counted.
CREATE TABLE documents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token        text NOT NULL UNIQUE CHECK (token ~ '^[A-Za-z0-9_-]{22,}$'),
    title        text COLLATE german NOT NULL CHECK (title <> ''),
    description  text NOT NULL DEFAULT '',
    dated_on     date NOT NULL,
    visibility   text NOT NULL CHECK (visibility IN ('public', 'members', 'office')),
    file_name    text NOT NULL CHECK (file_name <> ''),
    content_type text NOT NULL,
    size         int NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    data         bytea NOT NULL,
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1
);
CREATE INDEX documents_dated_on_idx ON documents (dated_on DESC, id DESC);

CREATE TABLE document_topics (
    document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    topic_id    bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, topic_id)
);
CREATE INDEX document_topics_topic_idx ON document_topics (topic_id);

-- When a representative or the office last confirmed that the profile is
-- right ("Angaben zuletzt bestätigt am …"), and when the yearly reminder
-- last went out.
ALTER TABLE members ADD COLUMN confirmed_at timestamptz;
ALTER TABLE members ADD COLUMN reminded_at timestamptz;

-- A representative's proposed profile: the whole proposed state of the
-- fields a member may change (description, website, topics, the public
-- contact persons as JSON, a new logo), and base_version, the member's version it
-- was made against. Approving checks base_version: a profile the office
-- changed since is never overwritten silently.
CREATE TABLE profile_proposals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    user_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    author_name  text NOT NULL DEFAULT '',
    author_email text NOT NULL DEFAULT '',
    base_version int NOT NULL,
    description  text NOT NULL DEFAULT '',
    website      text NOT NULL DEFAULT '',
    topic_ids    bigint[] NOT NULL DEFAULT '{}',
    contacts     jsonb NOT NULL DEFAULT '[]',
    -- A new logo proposed: the picture as uploaded; it becomes a file of
    -- the media library only when the office approves.
    logo_data    bytea,
    logo_type    text NOT NULL DEFAULT '',
    logo_name    text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    note         text NOT NULL DEFAULT '',
    decided_at   timestamptz,
    decided_by   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1
);
-- One open proposal per member: a second one replaces nothing silently,
-- the representative is told to change the open one instead.
CREATE UNIQUE INDEX profile_proposals_open_idx ON profile_proposals (member_id) WHERE status = 'pending';
CREATE INDEX profile_proposals_member_idx ON profile_proposals (member_id, created_at DESC);

-- The names a file had before it was renamed: its old addresses redirect
-- to the new one, while an address with a name the file never had is 404.
-- (Before, any name redirected, so /medien/1/x, /medien/2/x, … listed every
-- upload, drafts' pictures included.) Renames so far are in the audit log.
CREATE TABLE media_names (
    media_id bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    name     text NOT NULL,
    PRIMARY KEY (media_id, name)
);
INSERT INTO media_names (media_id, name)
SELECT DISTINCT a.entity_id, a.changes -> 'name' ->> 0
FROM audit_log a JOIN media m ON m.id = a.entity_id
WHERE a.entity = 'media' AND a.changes -> 'name' ->> 0 IS NOT NULL AND a.changes -> 'name' ->> 0 <> m.name
ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE media_names;
DROP TABLE profile_proposals;
ALTER TABLE members DROP COLUMN reminded_at;
ALTER TABLE members DROP COLUMN confirmed_at;
DROP TABLE document_topics;
DROP TABLE documents;
