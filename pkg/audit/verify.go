package audit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Report is what Verify found.
type Report struct {
	// Rows is how many rows were checked, the broken one included.
	Rows int64 `json:"rows"`
	// BrokenAt is the seq of the first row that does not fit the chain: its
	// content does not match its hash, or its prev_hash is not the hash of
	// the row before it. Zero when the whole chain is intact.
	BrokenAt int64 `json:"broken_at"`
	// Reason says how BrokenAt is broken, for the operator; empty if intact.
	Reason string `json:"reason"`
	// LastSeq and Head are the seq and hash of the newest row checked.
	LastSeq int64  `json:"last_seq"`
	Head    []byte `json:"head"`
	// Chains are the heads of every chain, by chain number. Keeping a copy
	// of them outside the database is what makes the removal of a chain's
	// newest rows detectable.
	Chains []ChainHead `json:"chains"`
}

// ChainHead is the newest row of one chain.
type ChainHead struct {
	Chain   int    `json:"chain"`
	Rows    int64  `json:"rows"`
	LastSeq int64  `json:"last_seq"`
	Head    []byte `json:"head"`
}

// Intact reports whether Verify found no break.
func (r Report) Intact() bool { return r.BrokenAt == 0 }

const verifySQL = `SELECT chain, seq, at, actor, action, coalesce(object_type, ''), coalesce(object_id, ''),
	before::text, after::text, coalesce(request_id, ''), prev_hash, hash
FROM audit_log ORDER BY chain, seq`

// Verify reads the whole audit_log of the schema q's search_path names,
// chain by chain in seq order and in one statement (one snapshot),
// recomputes every hash and checks every link: each chain starts with a row
// without prev_hash and every later row follows the one before it in seq. A broken chain is reported in the Report, not as an
// error; the error is for failing to read.
func Verify(ctx context.Context, q sqlx.QueryerContext) (Report, error) {
	rows, err := q.QueryContext(ctx, verifySQL)
	if err != nil {
		return Report{}, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()

	var rep Report
	var prev []byte
	for rows.Next() {
		var chain int
		r, err := scanRecord(rows, &chain)
		if err != nil {
			return Report{}, fmt.Errorf("audit: verify: %w", err)
		}
		rep.Rows++
		if n := len(rep.Chains); n == 0 || rep.Chains[n-1].Chain != chain {
			rep.Chains = append(rep.Chains, ChainHead{Chain: chain})
			prev = nil
		}
		head := &rep.Chains[len(rep.Chains)-1]
		head.Rows++
		head.LastSeq, head.Head = r.Seq, r.Hash
		if r.Seq > rep.LastSeq {
			rep.LastSeq, rep.Head = r.Seq, r.Hash
		}
		switch {
		case !bytes.Equal(r.PrevHash, prev):
			rep.BrokenAt, rep.Reason = r.Seq, fmt.Sprintf("prev_hash is not the hash of the previous row of chain %d", chain)
		case !bytes.Equal(r.ComputeHash(), r.Hash):
			rep.BrokenAt, rep.Reason = r.Seq, "content does not match hash"
		}
		if rep.BrokenAt != 0 {
			return rep, nil
		}
		prev = r.Hash
	}
	if err := rows.Err(); err != nil {
		return Report{}, fmt.Errorf("audit: verify: %w", err)
	}
	return rep, nil
}

// scanRecord reads the columns of listSQL, or with lead (the chain) those
// of verifySQL.
func scanRecord(rows *sql.Rows, lead ...any) (Record, error) {
	var r Record
	var before, after sql.NullString
	if err := rows.Scan(append(lead, &r.Seq, &r.At, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID,
		&before, &after, &r.RequestID, &r.PrevHash, &r.Hash)...); err != nil {
		return Record{}, err
	}
	r.At = r.At.UTC()
	var err error
	if r.Before, err = canonicalNull(before); err != nil {
		return Record{}, err
	}
	if r.After, err = canonicalNull(after); err != nil {
		return Record{}, err
	}
	return r, nil
}
