-- +goose Up
-- Medical caseworkers become a role administrators grant on the users page
-- (it was a list of user ids in the leave service's configuration).
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (cardinality(roles) > 0
           AND roles <@ ARRAY['officer','family','caseworker','unit_head',
                              'approver','finance','auditor','admin','medical_caseworker']::text[]
           AND NOT (roles @> ARRAY['officer','family']::text[]));

-- +goose Down
UPDATE users SET roles = array_remove(roles, 'medical_caseworker') WHERE 'medical_caseworker' = ANY (roles);
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (cardinality(roles) > 0
           AND roles <@ ARRAY['officer','family','caseworker','unit_head',
                              'approver','finance','auditor','admin']::text[]
           AND NOT (roles @> ARRAY['officer','family']::text[]));
