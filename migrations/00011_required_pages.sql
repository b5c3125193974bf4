-- +goose Up

-- Pages the site cannot do without: the legal pages (Impressum, Datenschutz,
-- Barrierefreiheit), the pages the navigation and the footer link to, and
-- the home page's text. They are never unpublished or deleted and keep their
-- address; the office edits their text.
ALTER TABLE pages RENAME COLUMN legal TO required;
UPDATE pages SET required = true WHERE slug IN ('ueber-uns', 'mitgliedschaft', 'kontakt', 'startseite');

-- +goose Down
UPDATE pages SET required = false WHERE slug IN ('ueber-uns', 'mitgliedschaft', 'kontakt', 'startseite');
ALTER TABLE pages RENAME COLUMN required TO legal;
