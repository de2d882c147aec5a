-- The members projection now follows member.registered and member.updated
-- too, and keeps each dependant's relation and name beside its id, so a
-- family applicant can choose the dependant who applies. Dependants stored
-- as bare ids (from member.deceased) become objects with only the id.

-- +goose Up
UPDATE members SET dependants = (
    SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(d) = 'string' THEN jsonb_build_object('dependant_id', d) ELSE d END), '[]'::jsonb)
    FROM jsonb_array_elements(members.dependants) AS d)
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(members.dependants) AS d WHERE jsonb_typeof(d) = 'string');

-- +goose Down
UPDATE members SET dependants = (
    SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(d) = 'object' THEN d -> 'dependant_id' ELSE d END), '[]'::jsonb)
    FROM jsonb_array_elements(members.dependants) AS d);
