-- +goose Up

-- Both directions lock association before media, the order in which pages
-- read them (FindAssociation), so that a page read during the migration
-- waits for it instead of deadlocking with it.

-- The association's own logo, uploaded with its record (/admin/verein): it
-- replaces the letter "D" in the header of every page. Deleting the file in
-- the media library takes the logo away, and the "D" comes back.
ALTER TABLE association ADD COLUMN logo_media_id bigint REFERENCES media (id) ON DELETE SET NULL;

-- Square PNG icons made from a picture (the association's logo): the
-- favicon (32 × 32) and the apple-touch-icon (180 × 180). They are made at
-- upload, so every instance serves the same bytes, and go with the picture.
-- Their address names the picture, which never changes, so they are cached
-- for long.
CREATE TABLE media_icons (
    media_id bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    size     int NOT NULL CHECK (size > 0),
    sha256   text NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (media_id, size)
);

-- +goose Down
LOCK TABLE association, media IN ACCESS EXCLUSIVE MODE;
ALTER TABLE association DROP COLUMN logo_media_id;
DROP TABLE media_icons;
