-- +goose Up

-- Logos, images and documents uploaded by the office, stored in the database
-- so that several instances of the binary serve the same files.
CREATE TABLE media (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (name <> ''),
    content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')),
    size         int NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    data         bytea NOT NULL,
    alt_text     text NOT NULL DEFAULT '',
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1
);
CREATE INDEX media_created_at_idx ON media (created_at DESC);

ALTER TABLE members ADD COLUMN logo_media_id bigint REFERENCES media (id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE members DROP COLUMN logo_media_id;
DROP TABLE media;
