-- Days given back for paid injury leave are taken back, when the injury
-- leave is shortened, by a taking entry of their own that carries a reason
-- and the request id. The approval's taking (no reason) stays one per
-- request.

-- +goose Up
DROP INDEX ledger_entries_one_taking;
CREATE UNIQUE INDEX ledger_entries_one_taking ON ledger_entries (request_id) WHERE kind = 'taking' AND reason = '';

-- +goose Down
DROP INDEX ledger_entries_one_taking;
CREATE UNIQUE INDEX ledger_entries_one_taking ON ledger_entries (request_id) WHERE kind = 'taking';
