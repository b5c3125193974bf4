-- Search (/suche) ranks articles, pages and topics by a small vector of their
-- title (weight A) and lead or summary (B), stored next to the full vector
-- "search" of migration 00023. The full vector of a long text is stored
-- out of line (TOAST): ranking by it read and unpacked it for every match,
-- which at a hundred times today's data cost more than the whole search may.
-- Now the full vector is only read through its GIN index, whose match of a
-- plain query needs no second look at the row, and the small vector, which
-- stays in the row, decides the order: title and lead matches first, the
-- rest by date (see internal/store/search.go).
--
-- The search indexes also take changes at once (fastupdate off) instead of
-- collecting them in a pending list that every search reads through until
-- the next VACUUM: after an import, that list cost a search several
-- milliseconds. Texts change seldom, and saving one costs a little more.
--
-- Each statement is a transaction of its own and locks one table only, so
-- that pages reading these tables while the migration runs wait for it
-- instead of deadlocking with it (TestMigrateDownAndUpUnderLoad); each can
-- be run again after a failure.

-- +goose NO TRANSACTION
-- +goose Up
ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_head tsvector GENERATED ALWAYS AS (
    defus_tsv(title, 'A') || defus_tsv(lead || ' ' || interviewee, 'B')) STORED;
ALTER TABLE pages ADD COLUMN IF NOT EXISTS search_head tsvector GENERATED ALWAYS AS (
    defus_tsv(title, 'A') || defus_tsv(summary, 'B')) STORED;
ALTER TABLE topics ADD COLUMN IF NOT EXISTS search_head tsvector GENERATED ALWAYS AS (
    defus_tsv(title, 'A') || defus_tsv(summary, 'B')) STORED;
ALTER INDEX articles_search_idx SET (fastupdate = off);
ALTER INDEX pages_search_idx SET (fastupdate = off);
ALTER INDEX topics_search_idx SET (fastupdate = off);
ALTER INDEX events_search_idx SET (fastupdate = off);
ALTER INDEX members_search_idx SET (fastupdate = off);
ALTER INDEX member_contacts_search_idx SET (fastupdate = off);
ALTER INDEX documents_search_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('articles_search_idx');
SELECT gin_clean_pending_list('pages_search_idx');
SELECT gin_clean_pending_list('topics_search_idx');
SELECT gin_clean_pending_list('events_search_idx');
SELECT gin_clean_pending_list('members_search_idx');
SELECT gin_clean_pending_list('member_contacts_search_idx');
SELECT gin_clean_pending_list('documents_search_idx');

-- +goose Down
ALTER INDEX documents_search_idx RESET (fastupdate);
ALTER INDEX member_contacts_search_idx RESET (fastupdate);
ALTER INDEX members_search_idx RESET (fastupdate);
ALTER INDEX events_search_idx RESET (fastupdate);
ALTER INDEX topics_search_idx RESET (fastupdate);
ALTER INDEX pages_search_idx RESET (fastupdate);
ALTER INDEX articles_search_idx RESET (fastupdate);
ALTER TABLE topics DROP COLUMN IF EXISTS search_head;
ALTER TABLE pages DROP COLUMN IF EXISTS search_head;
ALTER TABLE articles DROP COLUMN IF EXISTS search_head;
