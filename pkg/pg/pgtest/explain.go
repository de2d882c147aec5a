package pgtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// LargeRows is the size from which a table counts as large for
// AssertIndexed: a sequential scan of it, or a sort of that many rows, is
// a cost that grows with the data.
const LargeRows = 10_000

// planNode is the part of EXPLAIN (FORMAT JSON) the guard reads.
type planNode struct {
	NodeType     string     `json:"Node Type"`
	RelationName string     `json:"Relation Name"`
	PlanRows     float64    `json:"Plan Rows"`
	Plans        []planNode `json:"Plans"`
}

// AssertIndexed plans query with args (EXPLAIN (FORMAT JSON), the planner's
// statistics as they are: ANALYZE the tables first) and fails the test if
// the plan scans a table of at least LargeRows rows sequentially or sorts
// at least LargeRows rows. name labels the query in the failure, with the
// whole plan.
func AssertIndexed(t testing.TB, db *sqlx.DB, name, query string, args ...any) {
	t.Helper()
	var raw string
	if err := db.QueryRowx(`EXPLAIN (FORMAT JSON) `+query, args...).Scan(&raw); err != nil {
		t.Fatalf("%s: explain: %v", name, err)
	}
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("%s: explain output: %v", name, err)
	}
	sizes := map[string]float64{}
	var problems []string
	var walk func(n planNode)
	walk = func(n planNode) {
		switch n.NodeType {
		case "Seq Scan":
			rows, ok := sizes[n.RelationName]
			if !ok {
				if err := db.Get(&rows, `SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = to_regclass($1)`, n.RelationName); err != nil {
					t.Fatalf("%s: size of %s: %v", name, n.RelationName, err)
				}
				sizes[n.RelationName] = rows
			}
			if rows >= LargeRows {
				problems = append(problems, fmt.Sprintf("sequential scan of %s (%.0f rows)", n.RelationName, rows))
			}
		case "Sort", "Incremental Sort":
			if n.PlanRows >= LargeRows {
				problems = append(problems, fmt.Sprintf("sort of %.0f rows", n.PlanRows))
			}
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	if len(problems) > 0 {
		t.Errorf("%s: %s\nplan: %s", name, strings.Join(problems, "; "), raw)
	}
}

// analyzedNode is the part of EXPLAIN (ANALYZE, FORMAT JSON) that
// AssertReadsAtMost reads.
type analyzedNode struct {
	NodeType     string         `json:"Node Type"`
	RelationName string         `json:"Relation Name"`
	ActualRows   float64        `json:"Actual Rows"`
	Loops        float64        `json:"Actual Loops"`
	Removed      float64        `json:"Rows Removed by Filter"`
	RemovedIndex float64        `json:"Rows Removed by Index Recheck"`
	Plans        []analyzedNode `json:"Plans"`
}

// AssertReadsAtMost runs query with args under EXPLAIN ANALYZE and fails
// the test if its scans read more than limit rows of the tables, counting
// the rows they returned and the rows their filters threw away (an index
// walked past a year of other rows to find a page passes AssertIndexed but
// not this). name labels the query in the failure, with the whole plan.
// The query runs: use it on reads.
func AssertReadsAtMost(t testing.TB, db *sqlx.DB, name string, limit float64, query string, args ...any) {
	t.Helper()
	var raw string
	if err := db.QueryRowx(`EXPLAIN (ANALYZE, FORMAT JSON) `+query, args...).Scan(&raw); err != nil {
		t.Fatalf("%s: explain analyze: %v", name, err)
	}
	var plans []struct {
		Plan analyzedNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("%s: explain output: %v", name, err)
	}
	var read float64
	var walk func(n analyzedNode)
	walk = func(n analyzedNode) {
		if n.RelationName != "" {
			read += (n.ActualRows + n.Removed + n.RemovedIndex) * max(n.Loops, 1)
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	if read > limit {
		t.Errorf("%s: read %.0f rows, more than %.0f\nplan: %s", name, read, limit, raw)
	}
}
