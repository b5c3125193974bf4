-- +goose Up

-- The privacy notice texts that someone consented to. An enquiry points at the
-- exact text of /datenschutz at the time it was sent; equal texts share a row.
-- No personal data here, so the retention job leaves these alone.
CREATE TABLE privacy_notices (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_version int NOT NULL,
    body         text NOT NULL,
    body_sha256  bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Membership enquiries from the form at /mitgliedschaft/anfrage. No IP address
-- is stored. Open enquiries (new, in_progress) have no closed_at; every other
-- status is closed and carries the time it was closed, from which the
-- retention job counts (spam: 30 days, others: ENQUIRY_RETENTION_DAYS).
CREATE TABLE enquiries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation      text NOT NULL CHECK (organisation <> ''),
    kind              text NOT NULL DEFAULT '' CHECK (kind IN ('', 'city', 'district', 'organisation', 'other')),
    state             text NOT NULL DEFAULT '',
    contact_name      text NOT NULL CHECK (contact_name <> ''),
    function          text NOT NULL DEFAULT '',
    email             text NOT NULL CHECK (email <> ''),
    phone             text NOT NULL DEFAULT '',
    population        int CHECK (population > 0),
    message           text NOT NULL CHECK (message <> ''),
    heard_from        text NOT NULL DEFAULT '',
    consent_at        timestamptz NOT NULL,
    privacy_notice_id bigint NOT NULL REFERENCES privacy_notices (id),
    status            text NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'in_progress', 'answered', 'became_member', 'rejected', 'spam')),
    spam_reason       text NOT NULL DEFAULT '',
    -- The staff member handling it. The users table arrives with the admin
    -- area (issue 5), which adds the foreign key (ON DELETE SET NULL).
    assigned_to       bigint,
    closed_at         timestamptz,
    -- A random key rendered into the form: a second POST of the same form
    -- (double click, resent request) finds it and stores nothing.
    idempotency_key   text NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           int NOT NULL DEFAULT 1,
    CHECK ((status IN ('new', 'in_progress')) = (closed_at IS NULL))
);
CREATE INDEX enquiries_status_created_idx ON enquiries (status, created_at DESC);
CREATE INDEX enquiries_created_idx ON enquiries (created_at DESC);
CREATE INDEX enquiries_closed_idx ON enquiries (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX enquiries_email_idx ON enquiries (lower(email));

CREATE TABLE enquiry_topics (
    enquiry_id bigint NOT NULL REFERENCES enquiries (id) ON DELETE CASCADE,
    topic_id   bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (enquiry_id, topic_id)
);
CREATE INDEX enquiry_topics_topic_idx ON enquiry_topics (topic_id);

-- Internal notes of the office. author_id gets its foreign key to users in
-- issue 5; NULL means the author's account is gone.
CREATE TABLE enquiry_notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enquiry_id bigint NOT NULL REFERENCES enquiries (id) ON DELETE CASCADE,
    author_id  bigint,
    body       text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enquiry_notes_enquiry_idx ON enquiry_notes (enquiry_id, created_at);

-- Outgoing mail, delivered by the worker in `defus serve`. A mail that
-- belongs to an enquiry holds its personal data and goes when it goes.
CREATE TABLE mails (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enquiry_id      bigint REFERENCES enquiries (id) ON DELETE CASCADE,
    from_name       text NOT NULL DEFAULT '',
    from_addr       text NOT NULL CHECK (from_addr <> ''),
    to_addr         text NOT NULL CHECK (to_addr <> ''),
    reply_to        text NOT NULL DEFAULT '',
    subject         text NOT NULL,
    body            text NOT NULL,
    -- Stable across retries, so a receiving server can recognise a resend.
    message_id      text NOT NULL UNIQUE,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX mails_due_idx ON mails (next_attempt_at) WHERE status = 'queued';
CREATE INDEX mails_enquiry_idx ON mails (enquiry_id);

-- +goose Down
DROP TABLE mails;
DROP TABLE enquiry_notes;
DROP TABLE enquiry_topics;
DROP TABLE enquiries;
DROP TABLE privacy_notices;
