-- The office's daily work on an enquiry (issue 11, section 3): its mails
-- with why one failed, answers written from the enquiry's page, and a
-- follow-up date (Wiedervorlage).
--
-- An answer is a mail like the automatic ones: it leaves through the outbox
-- (queued in the transaction that stores it), belongs to its enquiry and
-- goes with it (ON DELETE CASCADE from 00003: erasure and retention), and
-- the request for access finds it. kind tells the two apart: an answer is
-- written by a person, so it is sent without "Auto-Submitted"; author_name
-- is a snapshot of who wrote it, kept after the account is gone (as for
-- notes). in_reply_to is the Message-ID of the mail it answers, so the
-- sender's mail program shows it in one thread with the confirmation.
--
-- problem is why the last attempt failed, as a word the portal explains in
-- German (defus.MailProblem); last_error keeps the server's own reply.

-- +goose Up
ALTER TABLE mails
    ADD COLUMN kind text NOT NULL DEFAULT 'automatic' CHECK (kind IN ('automatic', 'reply')),
    ADD COLUMN author_name text NOT NULL DEFAULT '',
    ADD COLUMN in_reply_to text NOT NULL DEFAULT '',
    ADD COLUMN problem text NOT NULL DEFAULT '',
    ADD CONSTRAINT mails_reply_enquiry_check CHECK (kind <> 'reply' OR enquiry_id IS NOT NULL);

-- The follow-up date is a Berlin calendar day; the dashboard lists the
-- enquiries whose day has come. A note needs a date.
ALTER TABLE enquiries
    ADD COLUMN follow_up_on date,
    ADD COLUMN follow_up_note text NOT NULL DEFAULT '',
    ADD CONSTRAINT enquiries_follow_up_note_check CHECK (follow_up_on IS NOT NULL OR follow_up_note = '');
CREATE INDEX enquiries_follow_up_idx ON enquiries (follow_up_on) WHERE follow_up_on IS NOT NULL;

-- +goose Down
DROP INDEX enquiries_follow_up_idx;
ALTER TABLE enquiries
    DROP CONSTRAINT enquiries_follow_up_note_check,
    DROP COLUMN follow_up_note,
    DROP COLUMN follow_up_on;
-- Answers would become automatic mails without their author: they go.
-- Their enquiries stay; the audit log still says an answer was written.
DELETE FROM mails WHERE kind = 'reply';
ALTER TABLE mails
    DROP CONSTRAINT mails_reply_enquiry_check,
    DROP COLUMN problem,
    DROP COLUMN in_reply_to,
    DROP COLUMN author_name,
    DROP COLUMN kind;
