-- +goose Up

-- The office's inbox (issue 5). Staff accounts now exist: the staff member
-- an enquiry is assigned to and the author of a note point at users. When an
-- account is deleted, the enquiry becomes unassigned and the note keeps its
-- author's name from author_name.
UPDATE enquiries SET assigned_to = NULL WHERE assigned_to NOT IN (SELECT id FROM users);
ALTER TABLE enquiries
    ADD CONSTRAINT enquiries_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX enquiries_assigned_to_idx ON enquiries (assigned_to);

ALTER TABLE enquiry_notes ADD COLUMN author_name text NOT NULL DEFAULT '';
UPDATE enquiry_notes n SET author_name = u.name FROM users u WHERE u.id = n.author_id;
UPDATE enquiry_notes SET author_id = NULL WHERE author_id NOT IN (SELECT id FROM users);
ALTER TABLE enquiry_notes
    ADD CONSTRAINT enquiry_notes_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX enquiry_notes_author_idx ON enquiry_notes (author_id);

-- The inbox lists newest first, filtered by status (00003 has
-- (status, created_at) and (created_at)); "all open" and the dashboard's
-- "waiting longest" read the open ones oldest first.
CREATE INDEX enquiries_open_created_idx ON enquiries (created_at) WHERE status IN ('new', 'in_progress');
-- The search is ILIKE '%…%' on organisation and contact name. Without
-- pg_trgm no index serves a substring search; the inbox holds at most a
-- few thousand rows (closed ones are deleted after the retention period),
-- which a sequential scan reads in a millisecond. So no index for it.

-- +goose Down
DROP INDEX enquiries_open_created_idx;
DROP INDEX enquiry_notes_author_idx;
ALTER TABLE enquiry_notes DROP CONSTRAINT enquiry_notes_author_id_fkey;
ALTER TABLE enquiry_notes DROP COLUMN author_name;
DROP INDEX enquiries_assigned_to_idx;
ALTER TABLE enquiries DROP CONSTRAINT enquiries_assigned_to_fkey;
