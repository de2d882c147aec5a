-- The ledger's per-day totals (issue 12): what the trial balance and the
-- fund's position read, so that their cost is a fund-year's days, accounts
-- and programmes, never its journal lines (over a million a year in a
-- province).
--
-- One row per fund, programme (NULL: a fund-level line), account and entry
-- date, with the debits and credits of that day's lines. A statement
-- trigger on journal_lines adds each statement's lines to it in the
-- transaction that posts them, whatever path posts them (a workflow step,
-- a reversal, the recurring run, a seed's COPY); lines are never changed
-- or removed, so inserts are all it follows. ledger_day_totals_rebuild()
-- recomputes it from the lines.

-- +goose Up
CREATE TABLE ledger_day_totals (
    fund_id      uuid   NOT NULL REFERENCES funds (id),
    program_id   uuid   REFERENCES programs (id),
    account_code text   NOT NULL REFERENCES accounts (code),
    day          date   NOT NULL,
    debit        bigint NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit       bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
    CONSTRAINT ledger_day_totals_key UNIQUE NULLS NOT DISTINCT (fund_id, program_id, account_code, day)
);
-- The fund's trial balance reads a fund's rows up to a day; the key's
-- index serves a programme's.
CREATE INDEX ledger_day_totals_fund_day ON ledger_day_totals (fund_id, day);

-- +goose StatementBegin
CREATE FUNCTION ledger_day_totals_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- ordered, so that two transactions lock a day's rows in one order
    INSERT INTO ledger_day_totals AS t (fund_id, program_id, account_code, day, debit, credit)
    SELECT e.fund_id, l.program_id, l.account_code, e.entry_date, sum(l.debit), sum(l.credit)
      FROM added_lines l JOIN journal_entries e ON e.id = l.entry_id
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT ledger_day_totals_key
    DO UPDATE SET debit = t.debit + EXCLUDED.debit, credit = t.credit + EXCLUDED.credit;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER journal_lines_day_totals AFTER INSERT ON journal_lines
    REFERENCING NEW TABLE AS added_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_day_totals_add();

-- +goose StatementBegin
CREATE FUNCTION ledger_day_totals_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE journal_entries, journal_lines IN SHARE MODE;
    DELETE FROM ledger_day_totals;
    INSERT INTO ledger_day_totals (fund_id, program_id, account_code, day, debit, credit)
    SELECT e.fund_id, l.program_id, l.account_code, e.entry_date, sum(l.debit), sum(l.credit)
      FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
     GROUP BY 1, 2, 3, 4;
END;
$$;
-- +goose StatementEnd

SELECT ledger_day_totals_rebuild();

-- The ledger page lists a fund's entries by date and voucher a page at a
-- time. Unless asked for a period it starts at the earliest day a ledger
-- may hold: journal_entries_date would walk every earlier fund's entries
-- to reach this one's.
CREATE INDEX journal_entries_fund_date ON journal_entries (fund_id, entry_date, id);

-- +goose Down
DROP INDEX journal_entries_fund_date;
DROP TRIGGER journal_lines_day_totals ON journal_lines;
DROP FUNCTION ledger_day_totals_rebuild();
DROP FUNCTION ledger_day_totals_add();
DROP TABLE ledger_day_totals;
