-- +goose Up
-- Committee leaders (委领导) become a role administrators grant on the users
-- page: they read the work overview (工作概览) of every unit (issue 17).
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (cardinality(roles) > 0
           AND roles <@ ARRAY['officer','family','caseworker','unit_head',
                              'approver','finance','auditor','admin','medical_caseworker','leader']::text[]
           AND NOT (roles @> ARRAY['officer','family']::text[]));

-- +goose Down
UPDATE users SET roles = array_remove(roles, 'leader') WHERE 'leader' = ANY (roles);
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (cardinality(roles) > 0
           AND roles <@ ARRAY['officer','family','caseworker','unit_head',
                              'approver','finance','auditor','admin','medical_caseworker']::text[]
           AND NOT (roles @> ARRAY['officer','family']::text[]));
