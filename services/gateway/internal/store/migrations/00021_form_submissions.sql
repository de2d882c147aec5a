-- +goose Up
-- One-time submission tokens of the gateway's forms: a form's token is
-- spent by the first submission that changes something; a second
-- submission of it (back and resubmit, a double tap) is sent to the first
-- one's result instead of doing the work again. Rows are pruned after a day.
CREATE TABLE form_submissions (
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token       text        NOT NULL CHECK (char_length(token) <= 64),
    path        text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('in_flight', 'done')),
    lease_until timestamptz NOT NULL,
    location    text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, token)
);
CREATE INDEX form_submissions_created_at ON form_submissions (created_at);

-- +goose Down
DROP TABLE form_submissions;
