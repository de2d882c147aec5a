-- Objects with a number people use (case GC-2026-000123, application
-- GA-2026-000001) record it in their rows' state: this finds an object's
-- rows by its number (Filter.ObjectNumber) without reading the whole trail.

-- +goose Up
CREATE INDEX audit_log_number_idx ON audit_log ((coalesce(after->>'number', before->>'number')))
    WHERE coalesce(after->>'number', before->>'number') IS NOT NULL;

-- +goose Down
DROP INDEX audit_log_number_idx;
