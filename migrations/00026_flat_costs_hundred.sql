-- Costs that stay flat as the data grows (issue 15), at 100 times the data.
--
-- The inbox search: since 00023 it compares defus_fold and defus_translit of the
-- organisation and the contact's name (case, umlauts and accents folded),
-- which the trigram indexes of 00024 over the plain columns cannot serve,
-- and defus_fold cannot be inlined (unaccent is only stable), so each
-- comparison is a function call: a search read all 100,000 enquiries of
-- the benchmark data (2.5 s). The folded texts are now stored columns with
-- trigram indexes; internal/store (where.addStoredFolds) compares them.

-- +goose Up
ALTER TABLE enquiries
    ADD COLUMN organisation_fold text GENERATED ALWAYS AS (defus_fold(organisation)) STORED,
    ADD COLUMN organisation_translit text GENERATED ALWAYS AS (defus_translit(organisation)) STORED,
    ADD COLUMN contact_name_fold text GENERATED ALWAYS AS (defus_fold(contact_name)) STORED,
    ADD COLUMN contact_name_translit text GENERATED ALWAYS AS (defus_translit(contact_name)) STORED;
CREATE INDEX enquiries_organisation_fold_trgm_idx ON enquiries USING gin (organisation_fold gin_trgm_ops);
CREATE INDEX enquiries_organisation_translit_trgm_idx ON enquiries USING gin (organisation_translit gin_trgm_ops);
CREATE INDEX enquiries_contact_name_fold_trgm_idx ON enquiries USING gin (contact_name_fold gin_trgm_ops);
CREATE INDEX enquiries_contact_name_translit_trgm_idx ON enquiries USING gin (contact_name_translit gin_trgm_ops);
DROP INDEX enquiries_organisation_trgm_idx;
DROP INDEX enquiries_contact_name_trgm_idx;

-- /mitglieder comes in pages, in the order of the list: a later page reads
-- the index up to it instead of sorting every member (German collation).
CREATE INDEX members_list_idx ON members (short_name, name, id) WHERE published;

-- The event lists and the archive come in pages of 50, in start order: the
-- page is picked from this index alone (index-only), whatever its number.
CREATE INDEX events_list_idx ON events (starts_at, ends_at, id) WHERE published;

-- +goose Down
DROP INDEX events_list_idx;
DROP INDEX members_list_idx;
CREATE INDEX enquiries_contact_name_trgm_idx ON enquiries USING gin (contact_name gin_trgm_ops);
CREATE INDEX enquiries_organisation_trgm_idx ON enquiries USING gin (organisation gin_trgm_ops);
ALTER TABLE enquiries
    DROP COLUMN contact_name_translit,
    DROP COLUMN contact_name_fold,
    DROP COLUMN organisation_translit,
    DROP COLUMN organisation_fold;
