// Package store keeps injury cases in PostgreSQL: repositories with raw SQL,
// one transaction per change that also writes the timeline, the audit row and
// the outbox events, and the SLA sweeper. What changes, and which events
// announce it, is decided by the functions the callers pass in (the domain,
// through internal/commands); the store persists what they return.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Store is the injury service's persistence.
type Store struct {
	db     *sqlx.DB
	clk    clock.Clock
	policy domain.Policy
	// stmts runs the opening's statements prepared: they are most of a
	// filing's round trips.
	stmts *pg.Statements
}

// New returns a Store. Every time it records comes from clk. Close it
// before db.
func New(db *sqlx.DB, clk clock.Clock, policy domain.Policy) *Store {
	return &Store{db: db, clk: clk, policy: policy, stmts: pg.NewStatements(db, 0)}
}

// Close releases the statements the store keeps prepared on the pool.
func (s *Store) Close() error { return s.stmts.Close() }

// Policy is the clock policy cases are opened and changed with.
func (s *Store) Policy() domain.Policy { return s.policy }

// Meta says who does a change and under which request, for the audit trail
// and the timeline.
type Meta struct {
	Actor     domain.Actor
	RequestID string
}

func (m Meta) actorID() string {
	if m.Actor.UserID == "" {
		return "system"
	}
	return m.Actor.UserID
}

// OpenRequest opens one case per injured person, all under one incident: a
// new one, or IncidentID to add to an existing incident.
type OpenRequest struct {
	IncidentID string
	Injured    []domain.OpenInput
}

// Opening is what an opening's transaction supplies for one injured
// person: the new case's id, the number drawn from the year's sequence,
// the incident, the member's category from the projection, who reports
// and when, and the clock policy.
type Opening struct {
	ID, Number, IncidentID, Category string
	Reporter                         domain.Reporter
	Now                              time.Time
	Policy                           domain.Policy
}

// OpenCase decides one case of an opening: the case opened from in with
// what o supplies, at version 1, and the events announcing it, which the
// store writes to the outbox in the opening's transaction. An error leaves
// the whole opening undone.
type OpenCase func(in domain.OpenInput, o Opening) (*domain.Case, []bus.Event, error)

// Open opens the cases of one incident in one transaction, drawing each a
// number from the year's sequence; open decides each case and its events.
// Inputs must have been validated (domain.OpenInput.Validate).
func (s *Store) Open(ctx context.Context, m Meta, req OpenRequest, open OpenCase) ([]*domain.Case, error) {
	res, err := s.OpenBatch(ctx, []OpenJob{{Meta: m, Request: req, Open: open}})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// OpenJob is one opening request of a batch.
type OpenJob struct {
	Meta    Meta
	Request OpenRequest
	// Open decides each case of the request and its events.
	Open OpenCase
	// BeforeCommit is the request's own commit hook (pg.WithBeforeCommit,
	// e.g. the Idempotency-Key marked spent), run in the batch's
	// transaction: a batch runs on its worker's context, not the request's,
	// so InTx alone would never run it and a crash after the commit could
	// leave the cases without their spent key.
	BeforeCommit pg.BeforeCommit
}

// OpenBatch opens several requests in one transaction, so that one commit
// and one audit write serve them all. If any request
// fails, the whole batch fails: callers that batch unrelated requests retry
// them one by one (BatchOpener does).
func (s *Store) OpenBatch(ctx context.Context, jobs []OpenJob) ([][]*domain.Case, error) {
	for _, j := range jobs {
		if len(j.Request.Injured) == 0 {
			return nil, errors.New("open: no injured person")
		}
		if j.Open == nil {
			return nil, errors.New("open: no decision function")
		}
	}
	var out [][]*domain.Case
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		out = out[:0]
		now := s.clk.Now().UTC()
		var evs []bus.Event
		ptx := s.stmts.Tx(tx)
		for _, j := range jobs {
			cs, e, err := s.openInTx(ctx, ptx, j, now)
			if err != nil {
				return err
			}
			out = append(out, cs)
			evs = append(evs, e...)
		}
		if err := bus.Outbox(ctx, ptx, evs...); err != nil {
			return err
		}
		// Audit late: it holds one of the schema's audit chains until
		// commit. Every case of the batch in one round trip of rows.
		var entries []audit.Entry
		for i, cs := range out {
			m := jobs[i].Meta
			for _, c := range cs {
				entries = append(entries, audit.Entry{Actor: m.actorID(), Action: "injury.case.open",
					ObjectType: "case", ObjectID: c.ID, After: auditView(c), RequestID: m.RequestID})
			}
		}
		if err := audit.WriteAll(ctx, ptx, s.clk, entries...); err != nil {
			return err
		}
		for _, j := range jobs {
			if j.BeforeCommit != nil {
				if err := j.BeforeCommit(ctx, tx); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// openInTx opens the cases of one request inside tx.
func (s *Store) openInTx(ctx context.Context, tx sqlx.ExtContext, j OpenJob, now time.Time) ([]*domain.Case, []bus.Event, error) {
	m, req := j.Meta, j.Request
	var out []*domain.Case
	first := req.Injured[0]
	incidentID := req.IncidentID
	var incident *incidentRow
	if incidentID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, nil, fmt.Errorf("incident id: %w", err)
		}
		incidentID = id.String()
		incident = &incidentRow{ID: incidentID, UnitID: first.UnitID, OccurredAt: first.InjuredAt.UTC(), Place: first.Place,
			Description: first.Description, CreatedBy: m.actorID(), CreatedAt: now}
	} else {
		var unit string
		err := sqlx.GetContext(ctx, tx, &unit, `SELECT unit_id FROM incidents WHERE id = $1`, incidentID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, ErrNotFound
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read incident: %w", err)
		}
		for _, in := range req.Injured {
			if in.UnitID != unit {
				return nil, nil, ErrIncidentUnit
			}
		}
	}
	year := clock.Local(now).Year()
	var evs []bus.Event
	reporter := domain.Reporter{UserID: m.Actor.UserID, MemberID: m.Actor.MemberID, Name: m.Actor.Name}
	for _, in := range req.Injured {
		// The number and the member's category in one round trip.
		var drawn struct {
			Number   string `db:"number"`
			Category string `db:"category"`
		}
		if err := sqlx.GetContext(ctx, tx, &drawn, `SELECT next_case_number($1) AS number,
			coalesce((SELECT category FROM members WHERE member_id = $2), '') AS category`, year, in.MemberID); err != nil {
			return nil, nil, fmt.Errorf("case number: %w", err)
		}
		id, err := uuid.NewV7()
		if err != nil {
			return nil, nil, fmt.Errorf("case id: %w", err)
		}
		c, opened, err := j.Open(in, Opening{ID: id.String(), Number: drawn.Number, IncidentID: incidentID,
			Category: drawn.Category, Reporter: reporter, Now: now, Policy: s.policy})
		if err != nil {
			return nil, nil, err
		}
		if err := insertOpened(ctx, tx, incident, c, m, now); err != nil {
			return nil, nil, err
		}
		incident = nil
		evs = append(evs, opened...)
		out = append(out, c)
	}
	return out, evs, nil
}

// auditView is what the audit trail records of a case: its identity and
// state, not the free text of the report.
func auditView(c *domain.Case) map[string]any {
	return map[string]any{"number": c.Number, "state": c.State, "member_id": c.MemberID, "unit_id": c.UnitID,
		"severity": c.Severity, "version": c.Version, "outcome": c.Determination.Outcome,
		"grade": c.Grading.Grade, "graded": c.Grading.Graded}
}

// incidentRow is a new incident, inserted with its first case.
type incidentRow struct {
	ID, UnitID, Place, Description, CreatedBy string
	OccurredAt, CreatedAt                     time.Time
}

// insertOpened writes a new case, its clocks, its "opened" timeline line and,
// for the first case of a new incident, the incident, in one statement: an
// opening is the hot path, and round trips are most of its cost.
func insertOpened(ctx context.Context, tx sqlx.ExecerContext, inc *incidentRow, c *domain.Case, m Meta, now time.Time) error {
	row, err := toCaseRow(c, now)
	if err != nil {
		return err
	}
	var (
		b    strings.Builder
		args []any
	)
	ph := func(vals ...any) string {
		parts := make([]string, len(vals))
		for i, v := range vals {
			args = append(args, v)
			parts[i] = "$" + strconv.Itoa(len(args))
		}
		return strings.Join(parts, ", ")
	}
	b.WriteString("WITH ")
	if inc != nil {
		fmt.Fprintf(&b, `inc AS (INSERT INTO incidents (id, unit_id, occurred_at, place, description, created_by, created_at) VALUES (%s)), `,
			ph(inc.ID, inc.UnitID, inc.OccurredAt, inc.Place, inc.Description, inc.CreatedBy, inc.CreatedAt))
	}
	fmt.Fprintf(&b, "c AS (INSERT INTO cases (%s) VALUES (%s)), ", caseSelectList, ph(row.args()...))
	b.WriteString(`k AS (INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, level, next_fire_at) VALUES `)
	for i, k := range c.Clocks {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%s, make_interval(secs => %s::double precision / 1000000), 0, %s)",
			ph(c.ID, string(k.Kind), k.StartedAt.UTC(), k.DueAt.UTC(), k.AmberAt.UTC()), ph(k.CommitteeAfter.Microseconds()), ph(optTime(k.NextFireAt())))
	}
	data, err := json.Marshal(map[string]any{"number": c.Number, "severity": c.Severity})
	if err != nil {
		return fmt.Errorf("timeline data: %w", err)
	}
	fmt.Fprintf(&b, `) INSERT INTO timeline (case_id, at, actor_id, actor_name, kind, to_state, data) VALUES (%s)`,
		ph(c.ID, now, m.actorID(), m.Actor.Name, "opened", string(c.State), data))
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("insert case %s: %w", c.Number, err)
	}
	return nil
}

// dueClockSQL is domain.Case.QueueClock for the sweeper, which lapses
// clocks without loading their cases: the running, unpaused clock due
// first. TestSweeperKeepsTheQueueClock holds the two together.
const dueClockSQL = `SELECT k.kind, k.due_at, k.amber_at FROM sla_clocks k
	WHERE k.case_id = cases.id AND k.stopped_at IS NULL AND k.paused_at IS NULL
	ORDER BY k.due_at, k.id LIMIT 1`

// insertClocks saves the clocks without an id in one statement.
func insertClocks(ctx context.Context, tx *sqlx.Tx, c *domain.Case) error {
	var idx []int
	for i := range c.Clocks {
		if c.Clocks[i].ID == 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, paused_at,
		stopped_at, outcome, level, next_fire_at) VALUES `)
	args := []any{c.ID}
	for n, i := range idx {
		k := c.Clocks[i]
		if n > 0 {
			b.WriteString(", ")
		}
		p := len(args)
		fmt.Fprintf(&b, "($1, $%d, $%d, $%d, $%d, make_interval(secs => $%d::double precision / 1000000), $%d, $%d, $%d, $%d, $%d)",
			p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9, p+10)
		args = append(args, string(k.Kind), k.StartedAt.UTC(), k.DueAt.UTC(), k.AmberAt.UTC(), k.CommitteeAfter.Microseconds(),
			optTime(k.PausedAt), optTime(k.StoppedAt), optString(string(k.Outcome)), int(k.Level), optTime(k.NextFireAt()))
	}
	b.WriteString(" RETURNING id")
	rows, err := tx.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return fmt.Errorf("insert clocks: %w", err)
	}
	defer rows.Close()
	for n := 0; rows.Next(); n++ {
		if err := rows.Scan(&c.Clocks[idx[n]].ID); err != nil {
			return fmt.Errorf("insert clocks: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert clocks: %w", err)
	}
	return nil
}

// Get loads a case with its clocks and guarantees.
func (s *Store) Get(ctx context.Context, id string) (*domain.Case, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	return s.load(ctx, s.db, id, false)
}

type queryer interface {
	sqlx.QueryerContext
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

func (s *Store) load(ctx context.Context, q queryer, id string, forUpdate bool) (*domain.Case, error) {
	lock := ""
	if forUpdate {
		lock = " FOR UPDATE"
	}
	var row caseRow
	err := q.GetContext(ctx, &row, "SELECT "+caseSelectList+" FROM cases WHERE id = $1"+lock, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load case %s: %w", id, err)
	}
	c, err := row.toDomain()
	if err != nil {
		return nil, err
	}
	var clocks []clockRow
	if err := q.SelectContext(ctx, &clocks, clockSelect+" WHERE case_id = $1 ORDER BY id"+lock, id); err != nil {
		return nil, fmt.Errorf("load clocks of %s: %w", c.Number, err)
	}
	for _, k := range clocks {
		c.Clocks = append(c.Clocks, k.toDomain())
	}
	var gs []guaranteeRow
	if err := q.SelectContext(ctx, &gs, `SELECT hospital, amount_fen, given_by, given_at FROM guarantees WHERE case_id = $1 ORDER BY id`, id); err != nil {
		return nil, fmt.Errorf("load guarantees of %s: %w", c.Number, err)
	}
	for _, g := range gs {
		c.Guarantees = append(c.Guarantees, g.toDomain())
	}
	return c, nil
}

// Decision is what a function passed to Update decided about a case: the
// change it made (the case itself is changed in place) and the events
// announcing it, written to the outbox with the change.
type Decision struct {
	Change domain.Change
	Events []bus.Event
}

// Update runs fn on the current case under a row lock and saves the result
// with its timeline entry, the events fn returns and the audit row in the
// same transaction. With ifMatch > 0 the case must be at that version
// (ErrVersionMismatch). fn sees fresh state and decides access: returning
// an error leaves everything unchanged. detail is recorded on the timeline
// entry.
func (s *Store) Update(ctx context.Context, m Meta, id string, ifMatch int64, detail any,
	fn func(c *domain.Case, now time.Time) (Decision, error)) (*domain.Case, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	var out *domain.Case
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		now := s.clk.Now().UTC()
		before := auditView(c)
		readVersion, guarantees := c.Version, len(c.Guarantees)
		d, err := fn(c, now)
		if err != nil {
			return err
		}
		ch := d.Change
		if ifMatch > 0 && readVersion != ifMatch {
			return ErrVersionMismatch
		}
		if err := s.save(ctx, tx, c, readVersion, guarantees, now); err != nil {
			return err
		}
		if err := addTimeline(ctx, tx, c.ID, now, m, timelineEntry{Kind: "action", Action: string(ch.Action),
			From: string(ch.From), To: string(ch.To), Data: detail}); err != nil {
			return err
		}
		if err := bus.Outbox(ctx, tx, d.Events...); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.case." + string(ch.Action),
			ObjectType: "case", ObjectID: c.ID, Before: before, After: auditView(c), RequestID: m.RequestID}); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// save writes the case row (optimistically, at the version read), its
// clocks and any new guarantees.
func (s *Store) save(ctx context.Context, tx *sqlx.Tx, c *domain.Case, readVersion int64, oldGuarantees int, now time.Time) error {
	row, err := toCaseRow(c, now)
	if err != nil {
		return err
	}
	args := append(row.args()[3:], c.ID, readVersion)
	res, err := tx.ExecContext(ctx, caseUpdateSQL, args...)
	if err != nil {
		return fmt.Errorf("update case %s: %w", c.Number, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrVersionMismatch
	}
	for _, k := range c.Clocks {
		if k.ID == 0 {
			continue
		}
		a := append([]any{k.ID}, clockArgs(k)...)
		if _, err := tx.ExecContext(ctx, `UPDATE sla_clocks SET due_at = $2, amber_at = $3, paused_at = $4, stopped_at = $5,
			outcome = $6, level = $7, next_fire_at = $8, amber_warned = $9 WHERE id = $1`, a...); err != nil {
			return fmt.Errorf("update clock %d: %w", k.ID, err)
		}
	}
	if err := insertClocks(ctx, tx, c); err != nil {
		return err
	}
	for _, g := range c.Guarantees[oldGuarantees:] {
		if _, err := tx.ExecContext(ctx, `INSERT INTO guarantees (case_id, hospital, amount_fen, given_by, given_at) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, g.Hospital, int64(g.Amount), g.By, g.At.UTC()); err != nil {
			return fmt.Errorf("insert guarantee: %w", err)
		}
	}
	return nil
}

// CaseSummary is one line of a case list or queue.
type CaseSummary struct {
	ID             string     `db:"id"`
	Number         string     `db:"number"`
	IncidentID     string     `db:"incident_id"`
	MemberID       *string    `db:"member_id"`
	MemberName     string     `db:"member_name"` // from the member projection; "" when not announced
	UnknownName    *string    `db:"unknown_name"`
	UnitID         string     `db:"unit_id"`
	ReporterUserID string     `db:"reporter_user_id"`
	Severity       string     `db:"severity"`
	SeverityRank   int        `db:"severity_rank"`
	State          string     `db:"state"`
	InjuredAt      time.Time  `db:"injured_at"`
	OpenedAt       time.Time  `db:"opened_at"`
	ClosedAt       *time.Time `db:"closed_at"`
	Version        int64      `db:"version"`
	// The running clock due first (none: all nil), the queue's one clock.
	DueClock   *string    `db:"due_clock"`
	NextDueAt  *time.Time `db:"due_at"`
	DueAmberAt *time.Time `db:"due_amber_at"`
	QueueDue   time.Time  `db:"queue_due"`
	Level      int        `db:"level"`
	// The caseworker in charge and the phone they gave ("" if none yet).
	InChargeName  string `db:"in_charge_name"`
	InChargePhone string `db:"in_charge_phone"`
}

// Which cases a list holds by their state.
const (
	ListAll    = ""
	ListOpen   = "open"
	ListClosed = "closed"
)

// Orders of a list.
const (
	SortDue      = "due"      // the deadline due first; open cases only
	SortSeverity = "severity" // critical first, then by deadline; open cases only
	SortOpened   = "opened"   // newest first
)

// ListFilter selects cases: those of the units, of the member, or reported
// by the user (any that match), optionally in one state.
type ListFilter struct {
	Units          []string
	MemberID       string
	ReporterUserID string
	IncidentID     string
	State          string
	// Status keeps open cases (ListOpen), closed ones (ListClosed) or all.
	Status string
	// Query keeps cases whose number, or injured person's name, contains
	// it (case-insensitive).
	Query string
	// MinLevel keeps only cases with a clock escalated at least this far
	// (the committee's view: LevelCommittee).
	MinLevel domain.Level
	// Sort is SortDue or SortSeverity (open cases only) or SortOpened.
	Sort string
	Page page.Request
}

// List returns one page of the cases matching the filter in the filter's
// order, and the cursor of the next page ("" on the last). Each order
// reads an index on its key (cases_queue_due_idx, cases_queue_severity_idx,
// cases_opened_idx), so a page costs its size, not the table's.
func (s *Store) List(ctx context.Context, f ListFilter) ([]CaseSummary, string, error) {
	if f.Page.Limit <= 0 {
		f.Page.Limit = page.DefaultLimit
	}
	q, args, err := listQuery(f)
	if err != nil {
		return nil, "", err
	}
	var out []CaseSummary
	if err := s.db.SelectContext(ctx, &out, q, args...); err != nil {
		return nil, "", fmt.Errorf("list cases: %w", err)
	}
	rows, next := page.Trim(f.Page, out, func(r CaseSummary) string {
		switch f.Sort {
		case SortDue:
			return page.Cursor(r.QueueDue, r.ID)
		case SortSeverity:
			return page.Cursor(r.SeverityRank, r.QueueDue, r.ID)
		}
		return page.Cursor(r.OpenedAt, r.ID)
	})
	return rows, next, nil
}

// listQuery is the SQL of one page of a list, with its arguments.
func listQuery(f ListFilter) (string, []any, error) {
	units := f.Units
	if units == nil {
		units = []string{}
	}
	incident := uuid.NullUUID{}
	if f.IncidentID != "" {
		id, err := uuid.Parse(f.IncidentID)
		if err != nil {
			return "", nil, domain.ErrNotFound
		}
		incident = uuid.NullUUID{UUID: id, Valid: true}
	}
	like := ""
	if f.Query != "" {
		like = "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Query) + "%"
	}
	args := []any{pq.Array(units), f.MemberID, f.ReporterUserID, f.State, incident, int(f.MinLevel), like}
	where := []string{
		`(c.unit_id = ANY($1) OR ($2 <> '' AND c.member_id = $2) OR ($3 <> '' AND c.reporter_user_id = $3))`,
		`($4 = '' OR c.state = $4)`, `($5::uuid IS NULL OR c.incident_id = $5)`,
		`($6 = 0 OR EXISTS (SELECT 1 FROM sla_clocks e WHERE e.case_id = c.id AND e.stopped_at IS NULL AND e.level >= $6))`,
		`($7 = '' OR c.number ILIKE $7 OR m.name ILIKE $7 OR c.unknown_name ILIKE $7)`,
	}
	switch f.Status {
	case ListOpen:
		where = append(where, `c.state <> 'closed'`)
	case ListClosed:
		where = append(where, `c.state = 'closed'`)
	}
	var order string
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	switch f.Sort {
	case SortDue:
		var at time.Time
		var id cursorID
		if ok, err := f.Page.Decode(&at, &id); err != nil {
			return "", nil, err
		} else if ok {
			where = append(where, `(c.queue_due, c.id) > (`+arg(at)+`, `+arg(id)+`)`)
		}
		order = `c.queue_due, c.id`
	case SortSeverity:
		var rank int
		var at time.Time
		var id cursorID
		if ok, err := f.Page.Decode(&rank, &at, &id); err != nil {
			return "", nil, err
		} else if ok {
			where = append(where, `(c.severity_rank, c.queue_due, c.id) > (`+arg(rank)+`, `+arg(at)+`, `+arg(id)+`)`)
		}
		order = `c.severity_rank, c.queue_due, c.id`
	default:
		var at time.Time
		var id cursorID
		if ok, err := f.Page.Decode(&at, &id); err != nil {
			return "", nil, err
		} else if ok {
			where = append(where, `(c.opened_at, c.id) < (`+arg(at)+`, `+arg(id)+`)`)
		}
		order = `c.opened_at DESC, c.id DESC`
	}
	q := `SELECT c.id, c.number, c.incident_id, c.member_id, coalesce(m.name, '') AS member_name, c.unknown_name, c.unit_id,
		c.reporter_user_id, c.severity, c.severity_rank, c.state, c.injured_at, c.opened_at, c.closed_at, c.version,
		c.due_clock, c.due_at, c.due_amber_at, c.queue_due, c.in_charge_name, c.in_charge_phone,
		coalesce((SELECT max(level) FROM sla_clocks l WHERE l.case_id = c.id AND l.stopped_at IS NULL), 0) AS level
	FROM cases c
	LEFT JOIN members m ON m.member_id = c.member_id
	WHERE ` + strings.Join(where, " AND ") + `
	ORDER BY ` + order + `
	LIMIT ` + arg(f.Page.Fetch())
	return q, args, nil
}

// cursorID is a case id in a cursor; one that is not a case id is the
// caller's mistake (422 naming "after"), never a failed cast in SQL.
type cursorID struct{ uuid.UUID }

// UnmarshalJSON reads the id.
func (c *cursorID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"})
	}
	c.UUID = id
	return nil
}

// timelineEntry is one line of a case's timeline.
type timelineEntry struct {
	Kind   string
	Action string
	From   string
	To     string
	Body   string
	Data   any
}

func addTimeline(ctx context.Context, tx sqlx.ExtContext, caseID string, now time.Time, m Meta, e timelineEntry) error {
	data := []byte("{}")
	if e.Data != nil {
		var err error
		if data, err = json.Marshal(e.Data); err != nil {
			return fmt.Errorf("timeline data: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO timeline (case_id, at, actor_id, actor_name, kind, action, from_state, to_state, body, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, caseID, now, m.actorID(), m.Actor.Name, e.Kind, e.Action,
		e.From, e.To, e.Body, data); err != nil {
		return fmt.Errorf("insert timeline: %w", err)
	}
	return nil
}
