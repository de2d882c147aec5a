package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

type requestRow struct {
	ID           string    `db:"id"`
	MemberID     string    `db:"member_id"`
	MemberName   string    `db:"member_name"`
	UnitID       string    `db:"unit_id"`
	FromDate     time.Time `db:"from_date"`
	ToDate       time.Time `db:"to_date"`
	Days         int       `db:"days"`
	RestoredDays int       `db:"restored_days"`
	Reason       string    `db:"reason"`
	Status       string    `db:"status"`
	SecondLevel  bool      `db:"second_level"`
	CreatedAt    time.Time `db:"created_at"`
	Version      int64     `db:"version"`
	Provisional  bool      `db:"provisional_calendar"`
}

// requestColumns read a request with its member's name from requestFrom.
const requestColumns = `r.id::text AS id, r.member_id, coalesce(m.name, '') AS member_name, r.unit_id, r.from_date, r.to_date, r.days,
	r.restored_days, r.reason, r.status, r.second_level, r.created_at, r.version, r.provisional_calendar`

// requestFrom joins the member projection for the name, in the same query
// as the requests (a lock takes the request rows only: FOR UPDATE OF r).
const requestFrom = `leave_requests r LEFT JOIN members m ON m.member_id = r.member_id`

func (r requestRow) domain() domain.LeaveRequest {
	return domain.LeaveRequest{
		ID: r.ID, MemberID: r.MemberID, MemberName: r.MemberName, UnitID: r.UnitID, From: asDate(r.FromDate), To: asDate(r.ToDate),
		Days: r.Days, RestoredDays: r.RestoredDays, Reason: r.Reason, Status: domain.RequestStatus(r.Status),
		SecondLevel: r.SecondLevel, CreatedAt: r.CreatedAt.UTC(), Version: r.Version, ProvisionalCalendar: r.Provisional,
	}
}

type decisionRow struct {
	RequestID string    `db:"request_id"`
	Level     int       `db:"level"`
	Actor     string    `db:"actor"`
	ActorName string    `db:"actor_name"`
	Outcome   string    `db:"outcome"`
	Comment   string    `db:"comment"`
	At        time.Time `db:"decided_at"`
}

// withDecisions fills the requests' decision histories.
func (s *Store) withDecisions(ctx context.Context, q sqlx.QueryerContext, rs []domain.LeaveRequest) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]string, len(rs))
	idx := make(map[string]int, len(rs))
	for i, r := range rs {
		ids[i], idx[r.ID] = r.ID, i
	}
	var rows []decisionRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT request_id::text AS request_id, level, actor, actor_name, outcome, comment, decided_at
FROM leave_decisions WHERE request_id = ANY($1::uuid[]) ORDER BY id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("load decisions: %w", err)
	}
	for _, d := range rows {
		r := &rs[idx[d.RequestID]]
		r.Decisions = append(r.Decisions, domain.Decision{Level: d.Level, Actor: d.Actor, ActorName: d.ActorName, Outcome: domain.Outcome(d.Outcome),
			Comment: d.Comment, At: d.At.UTC()})
	}
	return nil
}

// Request returns one leave request with its decisions.
func (s *Store) Request(ctx context.Context, id string) (domain.LeaveRequest, error) {
	return s.request(ctx, s.db, id, false)
}

func (s *Store) request(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.LeaveRequest, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.LeaveRequest{}, ErrNotFound
	}
	query := `SELECT ` + requestColumns + ` FROM ` + requestFrom + ` WHERE r.id = $1`
	if lock {
		query += ` FOR UPDATE OF r`
	}
	var r requestRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.LeaveRequest{}, ErrNotFound
		}
		return domain.LeaveRequest{}, fmt.Errorf("request %s: %w", id, err)
	}
	out := []domain.LeaveRequest{r.domain()}
	if err := s.withDecisions(ctx, q, out); err != nil {
		return domain.LeaveRequest{}, err
	}
	return out[0], nil
}

// RequestFilter selects requests; empty fields do not filter. Units nil
// means every unit.
type RequestFilter struct {
	MemberID string
	Units    []string
	// Statuses keeps the requests in any of these states.
	Statuses []domain.RequestStatus
	Year     int
	Page     page.Request
}

// RequestsQuery is the SQL Requests runs for f with the cursor position
// (afterAt, afterID) when it is not the first page, and its arguments. The
// plan guard (TestRequestListUsesIndexes) plans exactly this.
//
// The order is newest first, ties by id ascending, the order of the index
// leave_requests_created_idx (created_at DESC, id); the keyset condition
// follows it, so a page is an index range whatever the table's size.
func RequestsQuery(f RequestFilter, afterAt *time.Time, afterID string) (string, []any) {
	query := `SELECT ` + requestColumns + ` FROM ` + requestFrom + ` WHERE true`
	var args []any
	add := func(cond string, v ...any) {
		n := make([]any, len(v))
		for i := range v {
			args = append(args, v[i])
			n[i] = len(args)
		}
		query += fmt.Sprintf(" AND "+cond, n...)
	}
	if f.MemberID != "" {
		add("r.member_id = $%d", f.MemberID)
	}
	if f.Units != nil {
		add("r.unit_id = ANY($%d)", pq.Array(f.Units))
	}
	switch len(f.Statuses) {
	case 0:
	case 1:
		add("r.status = $%d", string(f.Statuses[0]))
	default:
		st := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			st[i] = string(s)
		}
		add("r.status = ANY($%d)", pq.Array(st))
	}
	if f.Year != 0 {
		add("extract(year FROM r.from_date) = $%d", f.Year)
	}
	if afterAt != nil {
		add("(r.created_at < $%d OR (r.created_at = $%d AND r.id > $%d::uuid))", *afterAt, *afterAt, afterID)
	}
	args = append(args, pageOf(f.Page).Fetch())
	query += fmt.Sprintf(" ORDER BY r.created_at DESC, r.id LIMIT $%d", len(args))
	return query, args
}

// Requests lists a page of requests, newest first, and the cursor of the
// next page ("" on the last).
func (s *Store) Requests(ctx context.Context, f RequestFilter) ([]domain.LeaveRequest, string, error) {
	f.Page = pageOf(f.Page)
	var (
		at time.Time
		id string
	)
	ok, err := decodeID(f.Page, &at, &id)
	if err != nil {
		return nil, "", err
	}
	var afterAt *time.Time
	if ok {
		afterAt = &at
	}
	query, args := RequestsQuery(f, afterAt, id)
	var rows []requestRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, query, args...); err != nil {
		return nil, "", fmt.Errorf("list requests: %w", err)
	}
	out := make([]domain.LeaveRequest, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	out, next := page.Trim(f.Page, out, func(r domain.LeaveRequest) string { return page.Cursor(r.CreatedAt, r.ID) })
	return out, next, s.withDecisions(ctx, s.db, out)
}

// MemberState is everything a request command reads about its member,
// loaded in the command's transaction with the member row locked: the
// member, the counting calendars of the year, the year's balance, the
// member's live requests and their injury leave.
type MemberState struct {
	Member    domain.Member
	Calendars domain.Calendars
	Balance   domain.Balance
	Existing  []domain.LeaveRequest
	Injuries  []domain.InjuryLeave
}

func (s *Store) loadMemberState(ctx context.Context, tx *sqlx.Tx, memberID string, year int) (MemberState, error) {
	m, err := s.member(ctx, tx, memberID, true)
	if err != nil {
		return MemberState{}, err
	}
	cals, err := s.countingCalendars(ctx, tx, year)
	if err != nil {
		return MemberState{}, err
	}
	bal, _, err := s.balance(ctx, tx, memberID, year)
	if err != nil {
		return MemberState{}, err
	}
	var rows []requestRow
	if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+requestColumns+` FROM `+requestFrom+`
WHERE r.member_id = $1 AND r.status IN ('pending', 'pending_second', 'approved')`, memberID); err != nil {
		return MemberState{}, fmt.Errorf("live requests: %w", err)
	}
	existing := make([]domain.LeaveRequest, len(rows))
	for i, r := range rows {
		existing[i] = r.domain()
	}
	injuries, err := s.injuryLeaves(ctx, tx, memberID)
	if err != nil {
		return MemberState{}, err
	}
	return MemberState{Member: m.Member, Calendars: cals, Balance: bal, Existing: existing, Injuries: injuries}, nil
}

// Quote counts what a request would take, before it is sent.
func (s *Store) Quote(ctx context.Context, memberID string, from, to time.Time) (domain.Quote, error) {
	if _, err := s.member(ctx, s.db, memberID, false); err != nil {
		return domain.Quote{}, err
	}
	cals, err := s.countingCalendars(ctx, s.db, from.Year(), to.Year())
	if err != nil {
		return domain.Quote{}, err
	}
	bal, _, err := s.balance(ctx, s.db, memberID, from.Year())
	if err != nil {
		return domain.Quote{}, err
	}
	return domain.QuoteRequest(s.policy, cals, from, to, bal)
}

// CreateRequest saves the leave request fn makes from the member's state,
// read with the member row locked (so every rule fn checks holds on fresh
// state), with an audit row by actor, in one transaction. year is the year
// whose calendars and balance fn reads. The exclusion constraint stands
// behind the domain's overlap rule: a request that slips past it is
// ErrOverlap.
func (s *Store) CreateRequest(ctx context.Context, actor, memberID string, year int, fn func(MemberState) (domain.LeaveRequest, error)) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		ms, err := s.loadMemberState(ctx, tx, memberID, year)
		if err != nil {
			return err
		}
		r, err := fn(ms)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO leave_requests (id, member_id, unit_id, from_date, to_date, days, reason, status, second_level, created_at, updated_at, version, provisional_calendar)
VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9, $10, $10, 1, $11)`,
			r.ID, r.MemberID, r.UnitID, dateArg(r.From), dateArg(r.To), r.Days, r.Reason, string(r.Status), r.SecondLevel, r.CreatedAt, r.ProvisionalCalendar)
		if pg.IsExclusionViolation(err) {
			return domain.Detail(domain.ErrOverlap, r.From, r.To)
		}
		if err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		out = r
		return s.audit(ctx, tx, actor, "leave.request.apply", "leave_request", r.ID, nil, requestState(r))
	})
	return out, err
}

// RequestUpdate is what an UpdateRequest callback works with: the request
// and its member's state, both read in the transaction under lock, and the
// transaction itself for the events it writes to the outbox.
type RequestUpdate struct {
	Tx      *sqlx.Tx
	Request *domain.LeaveRequest
	Member  MemberState
	// Entries are booked in the balance ledger when fn returns.
	Entries []domain.LedgerEntry
	// Actor is who the audit row names; fn sets it (a decision on one's
	// own request is recorded under the member id).
	Actor string
}

// UpdateRequest runs fn on the request id under lock and saves what it
// did, in one transaction: the request's new status (version + 1), the
// decisions fn appended, the ledger entries it left in u.Entries, and an
// audit row of action by u.Actor. The member row is locked first, then the
// request (the order CreateRequest takes, so two commands never deadlock);
// a version other than the request's is ErrVersionMismatch.
//
// A request that ends approved while its member has injury leave on file
// has its days under that leave given back at once, as if the leave had
// been announced after the approval (the reconciliation the injury events
// run).
func (s *Store) UpdateRequest(ctx context.Context, action, id string, version int64, fn func(ctx context.Context, u *RequestUpdate) error) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		peek, err := s.request(ctx, tx, id, false)
		if err != nil {
			return err
		}
		ms, err := s.loadMemberState(ctx, tx, peek.MemberID, peek.From.Year())
		if err != nil {
			return err
		}
		r, err := s.request(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if r.Version != version {
			return ErrVersionMismatch
		}
		before := requestState(r)
		known := len(r.Decisions)
		u := &RequestUpdate{Tx: tx, Request: &r, Member: ms}
		if err := fn(ctx, u); err != nil {
			return err
		}
		now := s.clk.Now()
		r.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE leave_requests SET status = $2, version = $3, updated_at = $4 WHERE id = $1`,
			r.ID, string(r.Status), r.Version, now); err != nil {
			return fmt.Errorf("update request: %w", err)
		}
		for _, d := range r.Decisions[known:] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO leave_decisions (request_id, level, actor, actor_name, outcome, comment, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, d.Level, d.Actor, d.ActorName, string(d.Outcome), d.Comment, d.At); err != nil {
				return fmt.Errorf("record decision: %w", err)
			}
		}
		if err := s.appendEntries(ctx, tx, u.Entries...); err != nil {
			return err
		}
		if r.Status == domain.StatusApproved && len(ms.Injuries) > 0 {
			if _, err := s.reconcileInjuryLeave(ctx, tx, r.MemberID); err != nil {
				return err
			}
			if r, err = s.request(ctx, tx, r.ID, false); err != nil {
				return err
			}
		}
		out = r
		return s.audit(ctx, tx, u.Actor, action, "leave_request", r.ID, before, requestState(r))
	})
	return out, err
}

// requestState is a request as recorded in the audit trail.
func requestState(r domain.LeaveRequest) map[string]any {
	return map[string]any{
		"member_id": r.MemberID, "from": dateArg(r.From), "to": dateArg(r.To), "days": r.Days,
		"status": string(r.Status), "restored_days": r.RestoredDays, "version": r.Version,
	}
}
