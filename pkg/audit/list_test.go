package audit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestListNewestFirstAndByNumber: a reader pages back from the newest row
// with BeforeSeq, and finds every row of an object by the number its
// state records, rows that do not repeat the number included.
func TestListNewestFirstAndByNumber(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	type caseState struct {
		Number string `json:"number"`
		State  string `json:"state"`
	}
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "case.open", ObjectType: "case", ObjectID: "c-1", After: caseState{"GC-2026-000001", "reported"}})
	write(t, db, clk, audit.Entry{Actor: "u-1", Action: "case.open", ObjectType: "case", ObjectID: "c-2", After: caseState{"GC-2026-000002", "reported"}})
	write(t, db, clk, audit.Entry{Actor: "u-2", Action: "case.comment", ObjectType: "case", ObjectID: "c-1", After: map[string]string{"timeline_id": "t-1"}})
	clk.Advance(time.Minute)
	write(t, db, clk, audit.Entry{Actor: "u-2", Action: "case.triage", ObjectType: "case", ObjectID: "c-1",
		Before: caseState{"GC-2026-000001", "reported"}, After: caseState{"GC-2026-000001", "triage"}})

	seqs := func(rs []audit.Record) []int64 {
		var out []int64
		for _, r := range rs {
			out = append(out, r.Seq)
		}
		return out
	}
	ctx := context.Background()
	all, err := audit.List(ctx, db, audit.Filter{NewestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || !slices.IsSortedFunc(all, func(a, b audit.Record) int { return int(b.Seq - a.Seq) }) {
		t.Fatalf("newest first: %v", seqs(all))
	}
	older, err := audit.List(ctx, db, audit.Filter{NewestFirst: true, BeforeSeq: all[1].Seq, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seqs(older), seqs(all[2:])) {
		t.Errorf("page before %d = %v, want %v", all[1].Seq, seqs(older), seqs(all[2:]))
	}
	byNumber, err := audit.List(ctx, db, audit.Filter{ObjectNumber: "GC-2026-000001"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range byNumber {
		actions = append(actions, r.Action)
	}
	if !slices.Equal(actions, []string{"case.open", "case.comment", "case.triage"}) {
		t.Errorf("rows of GC-2026-000001: %v", actions)
	}
}
