-- Documents uploaded to an application: the file in the database (so any
-- replica serves it and none holds the only copy), its type as sniffed
-- from the content, its SHA-256, and who uploaded it when. Append-only: a
-- wrong file is superseded by another upload, never changed or removed.

-- +goose Up
CREATE TABLE application_documents (
    id             uuid        PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    kind           text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    file_name      text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    content_type   text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     bigint      NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256         bytea       NOT NULL CHECK (octet_length(sha256) = 32),
    content        bytea       NOT NULL,
    uploaded_by    text        NOT NULL CHECK (uploaded_by <> ''),
    uploaded_at    timestamptz NOT NULL,
    CHECK (octet_length(content) = size_bytes)
);
CREATE INDEX application_documents_app ON application_documents (application_id, uploaded_at);
CREATE TRIGGER application_documents_immutable BEFORE UPDATE OR DELETE ON application_documents
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER application_documents_no_truncate BEFORE TRUNCATE ON application_documents
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE application_documents;
