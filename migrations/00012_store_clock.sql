-- The store writes updated_at from the process's clock (one clock for the
-- whole process, injected in tests). The events trigger still raises the
-- iCalendar SEQUENCE on every change, but keeps an updated_at the UPDATE set
-- itself and falls back to now() only for updates that leave it unchanged.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sequence := OLD.sequence + 1;
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sequence := OLD.sequence + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
-- +goose StatementEnd
