-- +goose Up
-- The outbox no longer NOTIFYs its relays. PostgreSQL serialises the
-- commits of notifying transactions with a database-wide lock held across
-- the WAL flush, so with this trigger every outbox-writing transaction of
-- every service's schema committed alone, one flush each: the event path
-- and every write that emits an event were capped together at the disk's
-- flush rate. Relays are now woken in the writing process at commit
-- (pg.Signal, bus.OutboxSignal) and poll for the rest.
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();

-- +goose Down
-- +goose StatementBegin
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('anxin_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
