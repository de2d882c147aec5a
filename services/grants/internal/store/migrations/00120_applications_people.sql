-- A person's own applications (/my, "mine"): the list asks for those the
-- user filed, or whose member or applicant member they are. Only the first
-- had an index, so the OR read every application (a sequential scan of
-- 200,000 at province scale on every /my); with all three the plan is a
-- BitmapOr of a few rows.

-- +goose Up
CREATE INDEX applications_member ON applications (member_id);
CREATE INDEX applications_applicant_member ON applications (applicant_member_id) WHERE applicant_member_id <> '';

-- +goose Down
DROP INDEX applications_applicant_member;
DROP INDEX applications_member;
