package benchapi

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq" // the services' driver
)

var uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// Capture is the statements of one filing, and what each replay must make
// fresh: the ids the filing minted (those that differ between two
// filings), so that a replay inserts new rows as a filing does instead of
// colliding with the captured ones.
type Capture struct {
	Conns []ConnLog
	fresh map[string]bool
	// drawn are text values of the first filing the second never sends
	// (its case number): a replay takes the value of the same shape that
	// its own SELECT returns (next_case_number) in their place.
	drawn map[string]bool
}

// NewCapture takes the statements of one filing and those of a second one:
// every uuid of the first that the second never mentions was minted by the
// filing (case, incident, event, audit ids) and is made fresh per replay;
// the rest (the member, the unit, the user) are kept.
func NewCapture(first, second, idle []ConnLog) *Capture {
	seen := map[string]bool{}
	whole := map[string]bool{}
	for _, c := range second {
		for _, s := range c.Statements {
			for _, a := range s.Args {
				whole[string(a)] = true
				for _, id := range uuidRe.FindAll(a, -1) {
					seen[string(id)] = true
				}
			}
		}
	}
	fresh := map[string]bool{}
	for _, c := range first {
		for _, s := range c.Statements {
			for _, a := range s.Args {
				for _, id := range uuidRe.FindAll(a, -1) {
					if !seen[string(id)] {
						fresh[string(id)] = true
					}
				}
			}
		}
	}
	drawn := map[string]bool{}
	for _, c := range first {
		for i, s := range c.Statements {
			for j, a := range s.Args {
				if !s.Binary[j] && len(a) == 2+64 && bytes.HasPrefix(a, []byte(`\x`)) && !whole[string(a)] {
					// A hash of the audit chain (32 bytes, prev_hash unique):
					// fresh random bytes per replay. The chain is not
					// recomputed; the database's work is the same.
					drawn[string(a)] = true
					continue
				}
				if !s.Binary[j] && len(a) < 40 && !whole[string(a)] && !uuidRe.Match(a) && digits.Match(a) && letters.Match(a) {
					drawn[string(a)] = true
				}
			}
			_ = i
		}
	}
	background := map[string]bool{}
	for _, c := range idle {
		for _, u := range units(wholeUnits(c.Statements)) {
			background[signature(u)] = true
		}
	}
	var conns []ConnLog
	for _, c := range first {
		var st []Statement
		for _, u := range units(wholeUnits(c.Statements)) {
			if !background[signature(u)] {
				st = append(st, u...)
			}
		}
		if len(st) > 0 {
			conns = append(conns, ConnLog{Params: c.Params, Statements: st})
		}
	}
	return &Capture{Conns: conns, fresh: fresh, drawn: drawn}
}

var (
	digits  = regexp.MustCompile(`[0-9]`)
	letters = regexp.MustCompile(`^[A-Z]+-`)
)

// shape is a value with its digits blanked: GC-2026-000123 → GC-####-######.
func shape(s string) string { return digits.ReplaceAllString(s, "#") }

// units splits whole units (see wholeUnits) into transactions and single
// statements.
func units(sts []Statement) [][]Statement {
	var out [][]Statement
	var cur []Statement
	for _, s := range sts {
		q := strings.ToUpper(strings.TrimSpace(s.SQL))
		switch {
		case strings.HasPrefix(q, "BEGIN") || strings.HasPrefix(q, "START TRANSACTION"):
			cur = []Statement{s}
		case strings.HasPrefix(q, "COMMIT") || strings.HasPrefix(q, "ROLLBACK"):
			out = append(out, append(cur, s))
			cur = nil
		case cur != nil:
			cur = append(cur, s)
		default:
			out = append(out, []Statement{s})
		}
	}
	return out
}

// signature is a unit's statement texts: what an idle poll repeats.
func signature(u []Statement) string {
	var b strings.Builder
	for _, s := range u {
		b.WriteString(s.SQL)
		b.WriteByte(0)
	}
	return b.String()
}

// wholeUnits keeps the complete transactions and the single statements
// outside any, dropping the tail of one the recording began inside and the
// head of one it ended inside (background work that straddles the window).
func wholeUnits(sts []Statement) []Statement {
	var out, pending []Statement
	inTx := false
	for _, s := range sts {
		q := strings.ToUpper(strings.TrimSpace(s.SQL))
		switch {
		case strings.HasPrefix(q, "BEGIN") || strings.HasPrefix(q, "START TRANSACTION"):
			out = append(out, pending...)
			pending = []Statement{s}
			inTx = true
		case strings.HasPrefix(q, "COMMIT") || strings.HasPrefix(q, "ROLLBACK"):
			if inTx {
				out = append(out, pending...)
				out = append(out, s)
			}
			// else: the end of a transaction begun before the window
			pending, inTx = nil, false
		default:
			pending = append(pending, s)
		}
	}
	if !inTx {
		out = append(out, pending...)
	}
	return out
}

// Summary counts what one filing executes.
func (c *Capture) Summary() string {
	var n, commits, inserts, selects, updates int
	for _, cl := range c.Conns {
		for _, s := range cl.Statements {
			n++
			q := strings.ToUpper(strings.TrimSpace(s.SQL))
			switch {
			case strings.HasPrefix(q, "COMMIT"):
				commits++
			case strings.HasPrefix(q, "SELECT"):
				selects++
			case strings.HasPrefix(q, "UPDATE"):
				updates++
			}
			inserts += strings.Count(q, "INSERT INTO")
		}
	}
	return fmt.Sprintf("%d statements on %d connections: %d COMMIT, %d SELECT, %d UPDATE, %d INSERT INTO (counting those inside WITH); %d ids minted per filing",
		n, len(c.Conns), commits, selects, updates, inserts, len(c.fresh))
}

// Write lists the captured statements, for the operator to read.
func (c *Capture) Write(w io.Writer) {
	for i, cl := range c.Conns {
		fmt.Fprintf(w, "-- connection %d (search_path %s)\n", i+1, cl.Params["search_path"])
		for _, s := range cl.Statements {
			q := strings.Join(strings.Fields(s.SQL), " ")
			if len(q) > 160 {
				q = q[:160] + "…"
			}
			fmt.Fprintf(w, "%s;  -- %d args\n", q, len(s.Args))
		}
	}
}

// ReplayResult is the raw database's side of the comparison.
type ReplayResult struct {
	Filings int
	Errors  int
	Elapsed time.Duration
	Samples []time.Duration
	First   string
}

// PerSecond is replayed filings (each all its statements and commits) per
// second.
func (r ReplayResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Filings) / r.Elapsed.Seconds()
}

// Replay runs the captured filing over and over from clients goroutines,
// each with its own connection per schema, for d or n filings: what
// pgbench would do with the statements as a script, in Go so nothing needs
// installing. Each replay mints fresh ids for the captured ones.
func Replay(ctx context.Context, dbURL string, c *Capture, clients int, d time.Duration, n int) (ReplayResult, error) {
	pools := map[string]*sql.DB{}
	defer func() {
		for _, p := range pools {
			_ = p.Close()
		}
	}()
	for _, cl := range c.Conns {
		sp := cl.Params["search_path"]
		if _, ok := pools[sp]; ok {
			continue
		}
		u, err := url.Parse(dbURL)
		if err != nil {
			return ReplayResult{}, err
		}
		q := u.Query()
		if sp != "" {
			q.Set("search_path", sp)
		}
		u.RawQuery = q.Encode()
		db, err := sql.Open("postgres", u.String())
		if err != nil {
			return ReplayResult{}, err
		}
		db.SetMaxOpenConns(clients)
		db.SetMaxIdleConns(clients)
		pools[sp] = db
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		res     ReplayResult
		wg      sync.WaitGroup
		samples []time.Duration
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs := 0
			first := ""
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if n > 0 {
					if i >= int64(n) {
						break
					}
				} else if time.Now().After(deadline) {
					break
				}
				t := time.Now()
				if err := c.replayOnce(ctx, pools); err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			samples = append(samples, mine...)
			res.Errors += errs
			if res.First == "" {
				res.First = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(samples)
	res.Samples = samples
	res.Filings = len(samples)
	return res, nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (c *Capture) replayOnce(ctx context.Context, pools map[string]*sql.DB) error {
	ids := map[string]string{}
	texts := map[string]string{}
	swap := func(b []byte) []byte {
		if c.drawn[string(b)] && bytes.HasPrefix(b, []byte(`\x`)) {
			n, ok := texts[string(b)]
			if !ok {
				r := make([]byte, (len(b)-2)/2)
				_, _ = rand.Read(r)
				n = `\x` + hex.EncodeToString(r)
				texts[string(b)] = n
			}
			return []byte(n)
		}
		for from, to := range texts {
			b = bytes.ReplaceAll(b, []byte(from), []byte(to))
		}
		return uuidRe.ReplaceAllFunc(b, func(id []byte) []byte {
			if !c.fresh[string(id)] {
				return id
			}
			n, ok := ids[string(id)]
			if !ok {
				n = newUUID()
				ids[string(id)] = n
			}
			return []byte(n)
		})
	}
	type unit struct {
		path string
		sts  []Statement
	}
	var us []unit
	for _, cl := range c.Conns {
		for _, u := range units(cl.Statements) {
			us = append(us, unit{cl.Params["search_path"], u})
		}
	}
	// In the order they ran: the coverage check reads the case the
	// opening wrote.
	slices.SortFunc(us, func(a, b unit) int { return cmp.Compare(a.sts[0].Seq, b.sts[0].Seq) })
	for _, u := range us {
		conn, err := pools[u.path].Conn(ctx)
		if err != nil {
			return err
		}
		err = replayConn(ctx, conn, u.sts, swap, func(v string) {
			for d := range c.drawn {
				if shape(d) == shape(v) {
					texts[d] = v
				}
			}
		})
		_ = conn.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func replayConn(ctx context.Context, conn *sql.Conn, sts []Statement, swap func([]byte) []byte, returned func(string)) error {
	inTx := false
	for _, s := range sts {
		args := make([]any, len(s.Args))
		k, m, chainStart := prevHashColumn(s.SQL)
		for i, a := range s.Args {
			switch {
			case a == nil && chainStart && i%m == k:
				// The filing started an audit chain: its replays each
				// continue one (a second start would be refused), from a
				// random head, as the drawn hashes do.
				h := make([]byte, 32)
				_, _ = rand.Read(h)
				args[i] = h
			case a == nil:
				args[i] = nil
			case s.Binary[i]:
				args[i] = swap(a)
			default:
				args[i] = textArg(swap(a))
			}
		}
		q := strings.ToUpper(strings.TrimSpace(s.SQL))
		if strings.HasPrefix(q, "BEGIN") || strings.HasPrefix(q, "START TRANSACTION") {
			inTx = true
		}
		var err error
		if strings.HasPrefix(q, "SELECT") {
			err = queryFirst(ctx, conn, s.SQL, args, returned)
		} else {
			_, err = conn.ExecContext(ctx, s.SQL, args...)
		}
		if err != nil {
			if inTx {
				_, _ = conn.ExecContext(ctx, "ROLLBACK")
			}
			return fmt.Errorf("%.120s: %w", strings.Join(strings.Fields(s.SQL), " "), err)
		}
		if strings.HasPrefix(q, "COMMIT") || strings.HasPrefix(q, "ROLLBACK") {
			inTx = false
		}
	}
	return nil
}

// prevHashColumn finds prev_hash among the columns of an INSERT INTO
// audit_log: its position k of m columns per row.
func prevHashColumn(q string) (k, m int, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(q), "INSERT INTO audit_log")
	if !found {
		return 0, 0, false
	}
	open, end := strings.Index(rest, "("), strings.Index(rest, ")")
	if open < 0 || end < open {
		return 0, 0, false
	}
	cols := strings.Split(rest[open+1:end], ",")
	for i, c := range cols {
		if strings.TrimSpace(c) == "prev_hash" {
			return i, len(cols), true
		}
	}
	return 0, 0, false
}

// queryFirst runs a SELECT, reads all its rows as a client would, and
// hands the first row's text values to returned.
func queryFirst(ctx context.Context, conn *sql.Conn, q string, args []any, returned func(string)) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	first := true
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if first {
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					returned(v)
				case []byte:
					returned(string(v))
				}
			}
			first = false
		}
	}
	return rows.Err()
}

// textArg is a parameter sent in text format, as lib/pq must be given it
// to send the same text: a bytea it sent as \x-hex text goes back as bytes
// (given the string, lib/pq would hex-encode the hex for a bytea column).
func textArg(a []byte) any {
	if h, ok := bytes.CutPrefix(a, []byte(`\x`)); ok && len(h)%2 == 0 {
		if b, err := hex.DecodeString(string(h)); err == nil {
			return b
		}
	}
	return string(a)
}
