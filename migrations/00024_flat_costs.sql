-- Costs that stay flat as the data grows (issue 15): every list of the
-- office and the public site reads its page through an index.

-- +goose Up

-- The audit log, paged by keyset (at, id) for each filter it offers.
CREATE INDEX audit_log_actor_at_idx ON audit_log (actor_id, at DESC, id DESC);
DROP INDEX audit_log_actor_idx;
CREATE INDEX audit_log_entity_at_idx ON audit_log (entity, at DESC, id DESC);
CREATE INDEX audit_log_changes_idx ON audit_log (at DESC, id DESC)
    WHERE action NOT IN ('login', 'login_failed', 'logout');

-- The inbox: its page in its order, and the search by part of a name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX enquiries_created_id_idx ON enquiries (created_at DESC, id DESC);
DROP INDEX enquiries_created_idx;
CREATE INDEX enquiries_organisation_trgm_idx ON enquiries USING gin (organisation gin_trgm_ops);
CREATE INDEX enquiries_contact_name_trgm_idx ON enquiries USING gin (contact_name gin_trgm_ops);

-- Deleting a file looks up the members showing it as their logo.
CREATE INDEX members_logo_media_idx ON members (logo_media_id) WHERE logo_media_id IS NOT NULL;

-- +goose Down
DROP INDEX members_logo_media_idx;
DROP INDEX enquiries_contact_name_trgm_idx;
DROP INDEX enquiries_organisation_trgm_idx;
CREATE INDEX enquiries_created_idx ON enquiries (created_at DESC);
DROP INDEX enquiries_created_id_idx;
DROP INDEX audit_log_changes_idx;
DROP INDEX audit_log_entity_at_idx;
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
DROP INDEX audit_log_actor_at_idx;
