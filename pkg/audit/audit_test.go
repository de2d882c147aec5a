package audit_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

var start = time.Date(2026, time.March, 15, 1, 2, 3, 456789123, time.UTC)

// write records e in a transaction of its own.
func write(t *testing.T, db *sqlx.DB, clk clock.Clock, e audit.Entry) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Write(ctx, tx, clk, e); err != nil {
		_ = tx.Rollback()
		t.Fatalf("Write: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

func verify(t *testing.T, db *sqlx.DB) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

func list(t *testing.T, db *sqlx.DB, f audit.Filter) []audit.Record {
	t.Helper()
	recs, err := audit.List(context.Background(), db, f)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return recs
}

func TestWriteListVerify(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)

	if rep := verify(t, db); !rep.Intact() || rep.Rows != 0 || rep.Head != nil {
		t.Fatalf("Verify of an empty trail = %+v", rep)
	}
	type grant struct {
		Status string `json:"status"`
		Amount int64  `json:"amount_fen"`
	}
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "grant.create", ObjectType: "grant", ObjectID: "g-1",
		After: grant{Status: "draft", Amount: 500000}, RequestID: "req-1"})
	clk.Advance(time.Minute)
	write(t, db, clk, audit.Entry{Actor: "u-2", Action: "grant.approve", ObjectType: "grant", ObjectID: "g-1",
		Before: grant{Status: "draft", Amount: 500000}, After: grant{Status: "approved", Amount: 500000}})
	clk.Advance(time.Minute)
	write(t, db, clk, audit.Entry{Actor: "u-2", Action: "member.view_idcard", ObjectType: "member", ObjectID: "m-9"})
	clk.Advance(time.Minute)
	write(t, db, clk, audit.Entry{Actor: "system:leave", Action: "leave.expire"})

	all := list(t, db, audit.Filter{})
	if len(all) != 4 {
		t.Fatalf("List returned %d rows, want 4", len(all))
	}
	first := all[0]
	want := audit.Record{
		Seq: first.Seq, At: start.Truncate(time.Microsecond), Actor: "u-1", Action: "grant.create",
		ObjectType: "grant", ObjectID: "g-1", After: json.RawMessage(`{"amount_fen":500000,"status":"draft"}`),
		RequestID: "req-1", Hash: first.Hash,
	}
	if !recordsEqual(first, want) {
		t.Fatalf("first row = %+v\nwant        %+v", first, want)
	}
	for i, r := range all {
		if len(r.Hash) != 32 || !bytes.Equal(r.ComputeHash(), r.Hash) {
			t.Fatalf("row %d: hash does not recompute", i)
		}
		if i > 0 && !bytes.Equal(r.PrevHash, all[i-1].Hash) {
			t.Fatalf("row %d: prev_hash is not the previous hash", i)
		}
	}
	if all[0].PrevHash != nil {
		t.Fatalf("first row has prev_hash %x", all[0].PrevHash)
	}

	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != 4 || rep.LastSeq != all[3].Seq || !bytes.Equal(rep.Head, all[3].Hash) {
		t.Fatalf("Verify = %+v", rep)
	}

	tests := []struct {
		name string
		f    audit.Filter
		want []string // actions, in order
	}{
		{name: "by actor", f: audit.Filter{Actor: "u-2"}, want: []string{"grant.approve", "member.view_idcard"}},
		{name: "by action", f: audit.Filter{Action: "leave.expire"}, want: []string{"leave.expire"}},
		{name: "by object", f: audit.Filter{ObjectType: "grant", ObjectID: "g-1"}, want: []string{"grant.create", "grant.approve"}},
		{name: "by object id only", f: audit.Filter{ObjectID: "m-9"}, want: []string{"member.view_idcard"}},
		{name: "from is inclusive", f: audit.Filter{From: start.Add(time.Minute)}, want: []string{"grant.approve", "member.view_idcard", "leave.expire"}},
		{name: "to is exclusive", f: audit.Filter{To: start.Add(2 * time.Minute).Truncate(time.Microsecond)}, want: []string{"grant.create", "grant.approve"}},
		{name: "time in another zone", f: audit.Filter{From: start.Add(3 * time.Minute).In(clock.Shanghai)}, want: []string{"leave.expire"}},
		{name: "after seq pages", f: audit.Filter{AfterSeq: all[1].Seq}, want: []string{"member.view_idcard", "leave.expire"}},
		{name: "limit", f: audit.Filter{Limit: 1, AfterSeq: all[0].Seq}, want: []string{"grant.approve"}},
		{name: "combined", f: audit.Filter{Actor: "u-2", ObjectType: "grant"}, want: []string{"grant.approve"}},
		{name: "no match", f: audit.Filter{Actor: "nobody"}, want: nil},
		{name: "injection is just a value", f: audit.Filter{Actor: "u-1' OR '1'='1"}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range list(t, db, tt.f) {
				got = append(got, r.Action)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("List(%+v) = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
}

func recordsEqual(a, b audit.Record) bool {
	return a.Seq == b.Seq && a.At.Equal(b.At) && a.Actor == b.Actor && a.Action == b.Action &&
		a.ObjectType == b.ObjectType && a.ObjectID == b.ObjectID && bytes.Equal(a.Before, b.Before) &&
		bytes.Equal(a.After, b.After) && a.RequestID == b.RequestID && bytes.Equal(a.PrevHash, b.PrevHash) &&
		bytes.Equal(a.Hash, b.Hash)
}

func TestListLimits(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range audit.MaxLimit + 5 {
		if err := audit.Write(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "bulk", ObjectID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		limit int
		want  int
	}{
		{name: "zero means default", limit: 0, want: audit.DefaultLimit},
		{name: "negative means default", limit: -3, want: audit.DefaultLimit},
		{name: "explicit", limit: 7, want: 7},
		{name: "capped", limit: audit.MaxLimit * 10, want: audit.MaxLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := len(list(t, db, audit.Filter{Limit: tt.limit})); got != tt.want {
				t.Fatalf("List(Limit: %d) returned %d rows, want %d", tt.limit, got, tt.want)
			}
		})
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != audit.MaxLimit+5 {
		t.Fatalf("Verify = %+v", rep)
	}
}

// TestJSONSurvivesJSONB writes states that jsonb stores differently from
// how encoding/json wrote them (key order, number spelling, duplicate keys,
// escapes) and checks that the chain still verifies and what List returns
// is the canonical form.
func TestJSONSurvivesJSONB(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	tests := []struct {
		name  string
		state any
		want  string // canonical form List returns; "" for NULL
	}{
		{name: "map keys of several lengths", state: map[string]int{"bbb": 1, "a": 2, "cc": 3, "aa": 4},
			want: `{"a":2,"aa":4,"bbb":1,"cc":3}`},
		{name: "struct field order", state: struct {
			Z string `json:"z"`
			A string `json:"a"`
		}{"last", "first"}, want: `{"a":"first","z":"last"}`},
		{name: "floats jsonb rewrites", state: map[string]float64{"big": 1e21, "small": 1e-7, "half": 0.5, "neg": -2.25},
			want: `{"big":1000000000000000000000,"half":0.5,"neg":-2.25,"small":0.0000001}`},
		{name: "raw numbers keep their scale", state: json.RawMessage(`{"a": 1.50, "b": 1E2, "c": -0, "d": 12345678901234567890123456789, "e": 1.0e1}`),
			want: `{"a":1.50,"b":100,"c":0,"d":12345678901234567890123456789,"e":10}`},
		{name: "duplicate keys, last wins", state: json.RawMessage(`{"a":1,"a":2}`), want: `{"a":2}`},
		{name: "html characters and unicode", state: map[string]string{"note": "<b>&</b> 张三 \u00e9 \u2028"},
			want: "{\"note\":\"<b>&</b> 张三 é \\u2028\"}"},
		{name: "escaped unicode in raw", state: json.RawMessage(`{"name":"\u5f20\u4e09","tab":"\t"}`),
			want: `{"name":"张三","tab":"\t"}`},
		{name: "nested", state: map[string]any{"list": []any{1, "two", nil, true, map[string]any{"y": 1, "x": []int{}}}},
			want: `{"list":[1,"two",null,true,{"x":[],"y":1}]}`},
		{name: "scalar string", state: "approved", want: `"approved"`},
		{name: "scalar number", state: 42, want: `42`},
		{name: "empty object", state: map[string]int{}, want: `{}`},
		{name: "nil pointer is NULL", state: (*struct{ A int })(nil), want: ""},
		{name: "JSON null is NULL", state: json.RawMessage(`null`), want: ""},
	}
	for _, tt := range tests {
		write(t, db, clk, audit.Entry{Actor: "u-1", Action: "test", ObjectID: tt.name, Before: tt.state, After: tt.state})
	}
	for _, tt := range tests {
		recs := list(t, db, audit.Filter{ObjectID: tt.name})
		if len(recs) != 1 {
			t.Fatalf("%s: %d rows", tt.name, len(recs))
		}
		r := recs[0]
		if string(r.Before) != tt.want || string(r.After) != tt.want {
			t.Errorf("%s: before %s after %s, want %s", tt.name, r.Before, r.After, tt.want)
		}
		if (r.Before == nil) != (tt.want == "") {
			t.Errorf("%s: before nil = %v", tt.name, r.Before == nil)
		}
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != int64(len(tests)) {
		t.Fatalf("Verify = %+v", rep)
	}
}

func TestWriteRefusesBadCalls(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()

	if err := audit.Write(ctx, db, clk, audit.Entry{Actor: "u-1", Action: "x"}); !errors.Is(err, audit.ErrNotInTransaction) {
		t.Fatalf("Write with a *sqlx.DB = %v, want ErrNotInTransaction", err)
	}
	tests := []struct {
		name string
		e    audit.Entry
	}{
		{name: "no actor", e: audit.Entry{Action: "x"}},
		{name: "no action", e: audit.Entry{Actor: "u-1"}},
		{name: "before not marshallable", e: audit.Entry{Actor: "u-1", Action: "x", Before: make(chan int)}},
		{name: "after not marshallable", e: audit.Entry{Actor: "u-1", Action: "x", After: map[string]any{"f": func() {}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx, err := db.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback() }()
			if err := audit.Write(ctx, tx, clk, tt.e); !errors.Is(err, audit.ErrInvalidEntry) {
				t.Fatalf("Write = %v, want ErrInvalidEntry", err)
			}
		})
	}
	t.Cleanup(func() {
		// Runs after the parallel subtests: nothing was written.
		if rep := verify(t, db); rep.Rows != 0 {
			t.Errorf("rows written by refused calls: %+v", rep)
		}
	})
}

func TestRollbackLeavesAGapNotABreak(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()

	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "one"})
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Write(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "rolled.back"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "two"})

	recs := list(t, db, audit.Filter{})
	if len(recs) != 2 || recs[0].Action != "one" || recs[1].Action != "two" {
		t.Fatalf("rows = %+v", recs)
	}
	if recs[1].Seq-recs[0].Seq != 2 {
		t.Fatalf("seqs %d, %d: expected the rolled-back row to leave a gap", recs[0].Seq, recs[1].Seq)
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != 2 {
		t.Fatalf("Verify = %+v", rep)
	}
}

func TestConcurrentWritersKeepOneChain(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.System{}
	ctx := context.Background()
	const writers, rows = 20, 20

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range rows {
				tx, err := db.BeginTxx(ctx, nil)
				if err != nil {
					errs <- err
					return
				}
				// Some work before the audit row, as a real caller has.
				if _, err := tx.ExecContext(ctx, `SELECT 1`); err != nil {
					_ = tx.Rollback()
					errs <- err
					return
				}
				e := audit.Entry{Actor: fmt.Sprintf("writer-%d", w), Action: "concurrent", ObjectID: fmt.Sprint(i),
					After: map[string]int{"w": w, "i": i}}
				if err := audit.Write(ctx, tx, clk, e); err != nil {
					_ = tx.Rollback()
					errs <- fmt.Errorf("writer %d row %d: %w", w, i, err)
					return
				}
				if err := tx.Commit(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != writers*rows {
		t.Fatalf("Verify = %+v, want %d intact rows", rep, writers*rows)
	}
	for w := range writers {
		if got := len(list(t, db, audit.Filter{Actor: fmt.Sprintf("writer-%d", w)})); got != rows {
			t.Fatalf("writer %d has %d rows, want %d", w, got, rows)
		}
	}
}

// TestRepeatableReadIsRefused: such a transaction's snapshot can predate
// the newest audit row, so Write refuses it outright rather than failing
// only when another writer happens to commit in between.
func TestRepeatableReadIsRefused(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()

	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := audit.Write(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "x"}); !errors.Is(err, audit.ErrRepeatableRead) {
		t.Fatalf("Write = %v, want ErrRepeatableRead", err)
	}
}

// TestSerializableWritersAreRetried runs writers in SERIALIZABLE
// transactions through pg.InTxOpts: those whose snapshot missed another's
// row fail with a serialization failure and are retried, and the chain
// stays whole.
func TestSerializableWritersAreRetried(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	const writers, rows = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range rows {
				err := pg.InTxOpts(ctx, db, pg.TxOptions{Serializable: true, Attempts: 100}, func(tx *sqlx.Tx) error {
					if _, err := tx.ExecContext(ctx, `SELECT count(*) FROM audit_log`); err != nil {
						return err
					}
					return audit.Write(ctx, tx, clock.System{}, audit.Entry{Actor: fmt.Sprint(w), Action: fmt.Sprint(i)})
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != writers*rows {
		t.Fatalf("Verify = %+v, want %d intact rows", rep, writers*rows)
	}
}

// TestIndexRefusesAFork shows the last line of defence: whatever a writer
// read, no two rows of a chain can follow the same row and only one can
// start it.
func TestIndexRefusesAFork(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()
	if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		return audit.WriteAll(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "one"}, audit.Entry{Actor: "u-1", Action: "two"})
	}); err != nil {
		t.Fatal(err)
	}
	recs := list(t, db, audit.Filter{})
	var chain int
	if err := db.GetContext(ctx, &chain, `SELECT chain FROM audit_log WHERE seq = $1`, recs[0].Seq); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		prev any
	}{
		{name: "second genesis", prev: nil},
		{name: "second successor", prev: recs[0].Hash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.ExecContext(ctx,
				`INSERT INTO audit_log (chain, at, actor, action, prev_hash, hash) VALUES ($1, now(), 'mallory', 'fork', $2, sha256('x'))`, chain, tt.prev)
			if !pg.IsUniqueViolation(err) {
				t.Fatalf("forking insert: %v, want a unique violation", err)
			}
		})
	}
}

// TestChainLockIsPerSchema holds every chain of one schema in open
// transactions and checks that another schema's writer does not wait for
// them. (That writers of one schema do not wait for each other is
// TestWritersOfOneSchemaTakeChainsSideBySide.)
func TestChainLockIsPerSchema(t *testing.T) {
	t.Parallel()
	dbA := pgtest.New(t)
	dbB := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()

	holders := holdChains(t, dbA, clk, audit.Chains)
	defer func() {
		for _, h := range holders {
			_ = h.Rollback()
		}
	}()

	short, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	txB, err := dbB.BeginTxx(short, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Write(short, txB, clk, audit.Entry{Actor: "u-2", Action: "other.schema"}); err != nil {
		t.Fatalf("writer of another schema blocked or failed: %v", err)
	}
	if err := txB.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "one", After: map[string]int{"a": 1}})
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "two"})
	before := list(t, db, audit.Filter{})

	tests := []struct {
		name string
		sql  string
		op   string
	}{
		{name: "update", sql: `UPDATE audit_log SET actor = 'mallory'`, op: "UPDATE"},
		{name: "update hash", sql: `UPDATE audit_log SET hash = sha256(hash)`, op: "UPDATE"},
		{name: "delete one", sql: `DELETE FROM audit_log WHERE action = 'two'`, op: "DELETE"},
		{name: "delete all", sql: `DELETE FROM audit_log`, op: "DELETE"},
		{name: "truncate", sql: `TRUNCATE audit_log`, op: "TRUNCATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.ExecContext(context.Background(), tt.sql)
			if err == nil {
				t.Fatalf("%s succeeded", tt.sql)
			}
			if msg := err.Error(); !strings.Contains(msg, "append-only") || !strings.Contains(msg, tt.op) {
				t.Fatalf("%s: error %q does not say the table is append-only", tt.sql, msg)
			}
		})
	}
	after := list(t, db, audit.Filter{})
	if len(after) != len(before) {
		t.Fatalf("rows changed: %d before, %d after", len(before), len(after))
	}
	for i := range after {
		if !recordsEqual(before[i], after[i]) {
			t.Fatalf("row %d changed", i)
		}
	}
	if rep := verify(t, db); !rep.Intact() {
		t.Fatalf("Verify = %+v", rep)
	}
}

// TestVerifyDetectsForgery plays a superuser who disables the trigger and
// edits the trail in the ways one would to hide something.
func TestVerifyDetectsForgery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		forge  func(t *testing.T, db *sqlx.DB, recs []audit.Record)
		broken int // index into the original rows of the first broken one
		reason string
	}{
		{
			name: "actor changed",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `UPDATE audit_log SET actor = 'someone-else' WHERE seq = $1`, recs[2].Seq)
			},
			broken: 2, reason: "content",
		},
		{
			name: "after state changed",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `UPDATE audit_log SET after = '{"amount_fen": 1}' WHERE seq = $1`, recs[1].Seq)
			},
			broken: 1, reason: "content",
		},
		{
			name: "time moved",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `UPDATE audit_log SET at = at - interval '1 day' WHERE seq = $1`, recs[3].Seq)
			},
			broken: 3, reason: "content",
		},
		{
			name: "request id cleared",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `UPDATE audit_log SET request_id = NULL WHERE seq = $1`, recs[0].Seq)
			},
			broken: 0, reason: "content",
		},
		{
			name: "row changed and its hash recomputed",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				r := recs[2]
				r.Actor = "someone-else"
				mustExec(t, db, `UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = $3`, r.Actor, r.ComputeHash(), r.Seq)
			},
			broken: 3, reason: "prev_hash",
		},
		{
			name: "middle row deleted",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `DELETE FROM audit_log WHERE seq = $1`, recs[2].Seq)
			},
			broken: 3, reason: "prev_hash",
		},
		{
			name: "first row deleted",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `DELETE FROM audit_log WHERE seq = $1`, recs[0].Seq)
			},
			broken: 1, reason: "prev_hash",
		},
		{
			name: "rows swapped",
			forge: func(t *testing.T, db *sqlx.DB, recs []audit.Record) {
				mustExec(t, db, `UPDATE audit_log SET seq = -seq WHERE seq IN ($1, $2)`, recs[1].Seq, recs[2].Seq)
				mustExec(t, db, `UPDATE audit_log SET seq = $1 WHERE seq = $2`, recs[2].Seq, -recs[1].Seq)
				mustExec(t, db, `UPDATE audit_log SET seq = $1 WHERE seq = $2`, recs[1].Seq, -recs[2].Seq)
			},
			broken: 1, reason: "prev_hash",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := pgtest.New(t)
			clk := clock.NewFake(start)
			for i := range 5 {
				clk.Advance(time.Second)
				write(t, db, clk, audit.Entry{Actor: "u-1", Action: "grant.pay", ObjectType: "grant",
					ObjectID: fmt.Sprint(i), After: map[string]int64{"amount_fen": int64(i+1) * 10000}, RequestID: "r"})
			}
			recs := list(t, db, audit.Filter{})
			if rep := verify(t, db); !rep.Intact() {
				t.Fatalf("Verify before forging = %+v", rep)
			}
			mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`)
			tt.forge(t, db, recs)
			mustExec(t, db, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`)

			rep := verify(t, db)
			if rep.BrokenAt != recs[tt.broken].Seq || rep.Intact() {
				t.Fatalf("Verify = %+v, want broken at seq %d", rep, recs[tt.broken].Seq)
			}
			if !strings.Contains(rep.Reason, tt.reason) {
				t.Fatalf("Reason = %q, want it to mention %q", rep.Reason, tt.reason)
			}
		})
	}
}

func mustExec(t *testing.T, db *sqlx.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
