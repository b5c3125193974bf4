-- +goose Up

-- The pixel size of uploaded images, so that lists can give thumbnails
-- width and height and the page does not jump while they load. Documents
-- (and images stored before this column) have none.
ALTER TABLE media
    ADD COLUMN width  int CHECK (width > 0),
    ADD COLUMN height int CHECK (height > 0);

-- +goose Down
ALTER TABLE media DROP COLUMN height, DROP COLUMN width;
