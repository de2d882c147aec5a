package audit_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

func TestComputeHash(t *testing.T) {
	t.Parallel()
	base := audit.Record{
		Seq: 7, At: time.Date(2026, 3, 15, 1, 2, 3, 456789000, time.UTC), Actor: "u-1", Action: "grant.approve",
		ObjectType: "grant", ObjectID: "g-1", Before: json.RawMessage(`{"a":1}`), After: json.RawMessage(`{"a":2}`),
		RequestID: "req-1", PrevHash: bytes.Repeat([]byte{7}, 32),
	}
	h := base.ComputeHash()
	if len(h) != 32 {
		t.Fatalf("hash has %d bytes", len(h))
	}
	tests := []struct {
		name   string
		change func(r *audit.Record)
		same   bool
	}{
		{name: "unchanged", change: func(*audit.Record) {}, same: true},
		{name: "seq is not hashed", change: func(r *audit.Record) { r.Seq = 8 }, same: true},
		{name: "stored hash is not hashed", change: func(r *audit.Record) { r.Hash = []byte{1} }, same: true},
		{name: "same instant in Shanghai", change: func(r *audit.Record) { r.At = r.At.In(clock.Shanghai) }, same: true},
		{name: "one microsecond later", change: func(r *audit.Record) { r.At = r.At.Add(time.Microsecond) }},
		{name: "actor", change: func(r *audit.Record) { r.Actor = "u-2" }},
		{name: "action", change: func(r *audit.Record) { r.Action = "grant.reject" }},
		{name: "object type", change: func(r *audit.Record) { r.ObjectType = "case" }},
		{name: "object id", change: func(r *audit.Record) { r.ObjectID = "g-2" }},
		{name: "before", change: func(r *audit.Record) { r.Before = json.RawMessage(`{"a":3}`) }},
		{name: "after", change: func(r *audit.Record) { r.After = json.RawMessage(`{"a":3}`) }},
		{name: "request id", change: func(r *audit.Record) { r.RequestID = "req-2" }},
		{name: "prev hash", change: func(r *audit.Record) { r.PrevHash = bytes.Repeat([]byte{8}, 32) }},
		{name: "genesis", change: func(r *audit.Record) { r.PrevHash = nil }},
		{name: "before NULL vs empty", change: func(r *audit.Record) { r.Before = nil }},
		{name: "text moved across a field boundary", change: func(r *audit.Record) {
			r.Actor, r.Action = "u-1grant", ".approve"
		}},
		{name: "before and after swapped", change: func(r *audit.Record) { r.Before, r.After = r.After, r.Before }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := base
			tt.change(&r)
			if got := r.ComputeHash(); bytes.Equal(got, h) != tt.same {
				t.Fatalf("hash equal = %v, want %v", bytes.Equal(got, h), tt.same)
			}
		})
	}
}

func TestMigrationsEmbedded(t *testing.T) {
	t.Parallel()
	b, err := audit.Migrations.ReadFile("migrations/00001_audit_log.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-- +goose Up", "-- +goose Down", "CREATE TABLE audit_log"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("migration lacks %q", want)
		}
	}
	if set := audit.MigrationSet(); set.Name != "audit" {
		t.Fatalf("MigrationSet name %q", set.Name)
	}
}
