-- Documents in the site search (/suche): public ones for everybody,
-- members-only ones for logged-in accounts, office-only ones never. The
-- index is the expression internal/store/search.go matches with, over the
-- title (weight A) and the description (B); defus_tsv3 comes from 00023.

-- +goose Up
CREATE INDEX documents_search_idx ON documents USING gin (defus_tsv3(title, description, ''));

-- +goose Down
DROP INDEX documents_search_idx;
