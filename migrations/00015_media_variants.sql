-- +goose Up

-- Scaled-down copies of uploaded pictures at the sizes the pages show them
-- (a box such as '192x128'; '720x0' has no height limit), made when the
-- picture is uploaded, or on first request for pictures stored before.
-- Each is a new encoding without the upload's metadata; its address
-- /medien/{id}/{box}/{name} never serves other bytes, so it is cached for
-- long, with its hash as ETag.
CREATE TABLE media_variants (
    media_id     bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    box          text NOT NULL CHECK (box ~ '^[0-9]+x[0-9]+$'),
    content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    width        int NOT NULL CHECK (width > 0),
    height       int NOT NULL CHECK (height > 0),
    sha256       text NOT NULL,
    data         bytea NOT NULL,
    PRIMARY KEY (media_id, box)
);

-- A picture stored before uploads were decoded that turned out not to
-- decode (damaged, or over the pixel limit): it gets no variants, and
-- nobody tries again on every request.
ALTER TABLE media ADD COLUMN undecodable boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE media DROP COLUMN undecodable;
DROP TABLE media_variants;
