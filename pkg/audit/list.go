package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Page sizes of List.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Filter selects audit rows for List. Every field is optional; the zero
// Filter lists the first DefaultLimit rows.
type Filter struct {
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	// ObjectNumber selects every row of the object whose recorded state
	// carries this number (a case's GC-…, an application's GA-…), including
	// its rows that do not repeat the number.
	ObjectNumber string
	// From (inclusive) and To (exclusive) bound At; zero means unbounded.
	From time.Time
	To   time.Time
	// AfterSeq pages through the trail: pass the last Seq of one page to get
	// the next. Rows come in seq order, oldest first.
	AfterSeq int64
	// NewestFirst lists the newest rows first, as a reader of the trail
	// wants them; BeforeSeq then pages back: pass the last Seq of one page
	// to get the rows before it.
	NewestFirst bool
	BeforeSeq   int64
	// Limit caps the page; 0 (or less) means DefaultLimit and anything over
	// MaxLimit means MaxLimit.
	Limit int
}

// List returns the audit rows f selects, in seq order (newest first with
// f.NewestFirst). The seq index serves both directions.
func List(ctx context.Context, q sqlx.QueryerContext, f Filter) ([]Record, error) {
	query, args := listSQL(f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}

// listSQL is List's query and arguments for f.
func listSQL(f Filter) (string, []any) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.ObjectNumber != "" {
		add(`(object_type, object_id) IN (SELECT object_type, object_id FROM audit_log
	WHERE coalesce(after->>'number', before->>'number') = ?)`, f.ObjectNumber)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	if f.AfterSeq > 0 {
		add("seq > ?", f.AfterSeq)
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}

	var b strings.Builder
	b.WriteString(`SELECT seq, at, actor, action, coalesce(object_type, ''), coalesce(object_id, ''),
	before::text, after::text, coalesce(request_id, ''), prev_hash, hash
FROM audit_log`)
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	args = append(args, limit)
	order := " ORDER BY seq"
	if f.NewestFirst {
		order += " DESC"
	}
	b.WriteString(order + " LIMIT $" + strconv.Itoa(len(args)))
	return b.String(), args
}
