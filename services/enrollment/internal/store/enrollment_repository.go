package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

const enrollmentColumns = `e.id, e.member_id, e.plan_id, e.scheme, e.plan_year, lower(e.period) AS period_from,
	upper(e.period) - 1 AS period_to, e.covered_from, e.status, e.end_reason, e.version`

type enrollmentRow struct {
	ID          string         `db:"id"`
	MemberID    string         `db:"member_id"`
	PlanID      string         `db:"plan_id"`
	Scheme      string         `db:"scheme"`
	PlanYear    int            `db:"plan_year"`
	PeriodFrom  time.Time      `db:"period_from"`
	PeriodTo    time.Time      `db:"period_to"`
	CoveredFrom time.Time      `db:"covered_from"`
	Status      string         `db:"status"`
	EndReason   sql.NullString `db:"end_reason"`
	Version     int64          `db:"version"`
}

func (r enrollmentRow) toDomain() domain.Enrollment {
	return domain.Enrollment{
		ID: r.ID, MemberID: r.MemberID, PlanID: r.PlanID, Scheme: domain.SchemeCode(r.Scheme), PlanYear: r.PlanYear,
		Period:      domain.Period{From: day(r.PeriodFrom), To: day(r.PeriodTo)},
		CoveredFrom: day(r.CoveredFrom), Status: domain.EnrollmentStatus(r.Status),
		EndReason: domain.EndReason(r.EndReason.String), Version: r.Version,
	}
}

// enrollmentsOf loads the enrollments of the given members.
func (s *Store) enrollmentsOf(ctx context.Context, q sqlx.QueryerContext, memberIDs []string, forUpdate bool) (map[string][]domain.Enrollment, error) {
	out := map[string][]domain.Enrollment{}
	if len(memberIDs) == 0 {
		return out, nil
	}
	query := `SELECT ` + enrollmentColumns + ` FROM enrollments e WHERE e.member_id = ANY($1) ORDER BY lower(e.period)`
	if forUpdate {
		query += ` FOR UPDATE`
	}
	var rows []enrollmentRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, pq.Array(memberIDs)); err != nil {
		return nil, fmt.Errorf("load enrollments: %w", err)
	}
	for _, r := range rows {
		out[r.MemberID] = append(out[r.MemberID], r.toDomain())
	}
	return out, nil
}

// GetEnrollment returns an enrollment whose member is in scope.
func (s *Store) GetEnrollment(ctx context.Context, id string, scope Scope) (domain.Enrollment, error) {
	return s.getEnrollment(ctx, s.db, id, scope, false)
}

func (s *Store) getEnrollment(ctx context.Context, q sqlx.QueryerContext, id string, scope Scope, forUpdate bool) (domain.Enrollment, error) {
	if !validUUID(id) {
		return domain.Enrollment{}, ErrNotFound
	}
	cond, args := scopeSQL(scope, 2)
	query := `SELECT ` + enrollmentColumns + ` FROM enrollments e JOIN members m ON m.id = e.member_id WHERE e.id = $1 AND ` + cond
	if forUpdate {
		query += ` FOR UPDATE OF e`
	}
	var r enrollmentRow
	err := sqlx.GetContext(ctx, q, &r, query, append([]any{id}, args...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Enrollment{}, ErrNotFound
	}
	if err != nil {
		return domain.Enrollment{}, fmt.Errorf("load enrollment %s: %w", id, err)
	}
	return r.toDomain(), nil
}

// EnrollState is what Enroll hands its decision: the member, locked, the
// plan, and the member's enrollments. Locking the member serialises
// enrollments of one member, so an overlap check sees every committed
// period.
type EnrollState struct {
	Member   *domain.Member
	Plan     domain.Plan
	Existing []domain.Enrollment
}

// Enroll saves the enrollment decide makes of member memberID (in scope)
// in plan planID, with its activation fact, its enrollment.activated event
// and its audit row, in one transaction. A member out of scope is
// ErrNotFound, an unknown plan ErrPlanNotFound; an error of decide leaves
// everything unchanged.
func (s *Store) Enroll(ctx context.Context, memberID, planID string, scope Scope, meta Meta, ann Announcer,
	decide func(EnrollState) (domain.Enrollment, domain.EnrollmentEvent, error)) (domain.Enrollment, error) {
	var out domain.Enrollment
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		m, err := s.getMember(ctx, tx, memberID, scope, false, true)
		if err != nil {
			return err
		}
		p, err := s.getPlan(ctx, tx, planID)
		if errors.Is(err, ErrNotFound) {
			return ErrPlanNotFound
		}
		if err != nil {
			return err
		}
		existing, err := s.enrollmentsOf(ctx, tx, []string{m.ID}, false)
		if err != nil {
			return err
		}
		e, ev, err := decide(EnrollState{Member: m, Plan: p, Existing: existing[m.ID]})
		if err != nil {
			return err
		}
		if err := s.insertEnrollments(ctx, tx, []domain.Enrollment{e}, []domain.EnrollmentEvent{ev}, p, s.now(), meta, ann); err != nil {
			return err
		}
		out = e
		return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "enrollment.activate", ObjectType: "enrollment",
			ObjectID: e.ID, After: ann.EnrollmentView(e, p), RequestID: meta.RequestID})
	})
	return out, err
}

// insertEnrollments writes new enrollments, their activation facts and
// their enrollment.activated events. Several at once (bulk enrollment,
// renewal) go in with COPY: a county's worth of single INSERTs would take
// many seconds.
func (s *Store) insertEnrollments(ctx context.Context, tx *sqlx.Tx, es []domain.Enrollment, evs []domain.EnrollmentEvent, p domain.Plan, now time.Time, meta Meta, ann Announcer) error {
	if len(es) == 0 {
		return nil
	}
	rows := make([][]any, len(es))
	for i, e := range es {
		rows[i] = []any{e.ID, e.MemberID, e.PlanID, string(e.Scheme), e.PlanYear,
			"[" + e.Period.From.Format(time.DateOnly) + "," + e.Period.To.Format(time.DateOnly) + "]",
			e.CoveredFrom, string(e.Status), e.Version, now, now}
	}
	err := copyRows(ctx, tx, "enrollments", []string{"id", "member_id", "plan_id", "scheme", "plan_year", "period",
		"covered_from", "status", "version", "created_at", "updated_at"}, rows)
	if pg.IsExclusionViolation(err) {
		return fmt.Errorf("enroll in plan %s: %w", p.ID, domain.ErrOverlap)
	}
	if err != nil {
		return fmt.Errorf("insert enrollments: %w", err)
	}
	facts := make([][]any, len(evs))
	for i, ev := range evs {
		facts[i] = []any{ev.EnrollmentID, string(ev.Kind), ev.On, nullString(string(ev.Reason)), now, meta.Actor}
	}
	if err := copyRows(ctx, tx, "enrollment_events", []string{"enrollment_id", "kind", "effective_on", "reason", "recorded_at", "actor"}, facts); err != nil {
		return fmt.Errorf("insert enrollment events: %w", err)
	}
	outbox := make([]bus.Event, 0, len(es))
	for _, e := range es {
		ev, err := ann.Activated(e, p, now)
		if err != nil {
			return err
		}
		outbox = append(outbox, ev)
	}
	return outboxChunked(ctx, tx, outbox)
}

// copyRows loads rows into table with COPY. The COPY holds the connection
// until it is finished, so nothing else runs on tx meanwhile.
func copyRows(ctx context.Context, tx *sqlx.Tx, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, copyFromStdinSQL(table, columns...))
	if err != nil {
		return err
	}
	defer func() { _ = stmt.Close() }()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	return stmt.Close()
}

// copyFromStdinSQL is the COPY ... FROM STDIN statement lib/pq prepares as
// a bulk load (what the deprecated pq.CopyIn built). Every identifier is
// quoted, so a table or column name is never read as SQL; the table is
// resolved through the search_path (the service schema).
func copyFromStdinSQL(table string, columns ...string) string {
	var b strings.Builder
	b.WriteString("COPY ")
	b.WriteString(pq.QuoteIdentifier(table))
	if len(columns) > 0 {
		b.WriteString(" (")
		for i, c := range columns {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pq.QuoteIdentifier(c))
		}
		b.WriteString(")")
	}
	b.WriteString(" FROM STDIN")
	return b.String()
}

// outboxChunked keeps each outbox INSERT under PostgreSQL's 65535
// parameters.
func outboxChunked(ctx context.Context, tx *sqlx.Tx, evs []bus.Event) error {
	for chunk := range slices.Chunk(evs, 1000) {
		if err := bus.Outbox(ctx, tx, chunk...); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

func (s *Store) insertEnrollmentEvent(ctx context.Context, tx *sqlx.Tx, ev domain.EnrollmentEvent, now time.Time, actor string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO enrollment_events (enrollment_id, kind, effective_on, reason, recorded_at, actor)
		VALUES ($1, $2, $3, $4, $5, $6)`, ev.EnrollmentID, string(ev.Kind), ev.On, nullString(string(ev.Reason)), now, actor); err != nil {
		return fmt.Errorf("insert enrollment event: %w", err)
	}
	return nil
}

// closeEnrollment writes a lapse or end: the shortened period, the fact
// and the enrollment.ended event.
func (s *Store) closeEnrollment(ctx context.Context, tx *sqlx.Tx, e domain.Enrollment, ev domain.EnrollmentEvent, p domain.Plan, now time.Time, meta Meta, ann Announcer) error {
	res, err := tx.ExecContext(ctx, `UPDATE enrollments SET period = daterange(lower(period), $2, '[]'), status = $3,
		end_reason = $4, version = $5, updated_at = $6, covered_from = $7 WHERE id = $1 AND version = $5 - 1`,
		e.ID, e.Period.To, string(e.Status), string(e.EndReason), e.Version, now, e.CoveredFrom)
	if err != nil {
		return fmt.Errorf("close enrollment %s: %w", e.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrVersionMismatch
	}
	if err := s.insertEnrollmentEvent(ctx, tx, ev, now, meta.Actor); err != nil {
		return err
	}
	out, err := ann.Ended(e, p, now)
	if err != nil {
		return err
	}
	return outboxChunked(ctx, tx, []bus.Event{out})
}

// CloseEnrollment saves the closing (a lapse or an end) decide makes of
// enrollment id, whose member is in scope, read locked at version
// ifVersion when that is > 0 (else ErrVersionMismatch): the shortened
// period, the fact, enrollment.ended and the audit row, in one
// transaction. An error of decide leaves everything unchanged.
func (s *Store) CloseEnrollment(ctx context.Context, id string, scope Scope, ifVersion int64, meta Meta, ann Announcer,
	decide func(e *domain.Enrollment) (domain.EnrollmentEvent, error)) (domain.Enrollment, error) {
	var out domain.Enrollment
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		e, err := s.getEnrollment(ctx, tx, id, scope, true)
		if err != nil {
			return err
		}
		if ifVersion > 0 && e.Version != ifVersion {
			return ErrVersionMismatch
		}
		before := e
		ev, err := decide(&e)
		if err != nil {
			return err
		}
		e.Version++
		p, err := s.getPlan(ctx, tx, e.PlanID)
		if err != nil {
			return err
		}
		if err := s.closeEnrollment(ctx, tx, e, ev, p, s.now(), meta, ann); err != nil {
			return err
		}
		out = e
		return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "enrollment." + string(ev.Kind), ObjectType: "enrollment",
			ObjectID: e.ID, Before: ann.EnrollmentView(before, p), After: ann.EnrollmentView(e, p), RequestID: meta.RequestID})
	})
	return out, err
}

// closeEnrollments saves enrollments closed in a member's transaction,
// each with its fact (evs[i]) and enrollment.ended.
func (s *Store) closeEnrollments(ctx context.Context, tx *sqlx.Tx, closed []domain.Enrollment, evs []domain.EnrollmentEvent, now time.Time, meta Meta, ann Announcer) error {
	planIDs := make([]string, 0, len(closed))
	for _, e := range closed {
		planIDs = append(planIDs, e.PlanID)
	}
	plans, err := s.plansByID(ctx, tx, planIDs)
	if err != nil {
		return err
	}
	for i, e := range closed {
		e.Version++
		if err := s.closeEnrollment(ctx, tx, e, evs[i], plans[e.PlanID], now, meta, ann); err != nil {
			return err
		}
	}
	return nil
}

// Coverage answers, for a member in scope and a day, which schemes covered
// them (scheme "" means every scheme) in one round trip: it is on the
// injury service's case-opening path.
func (s *Store) Coverage(ctx context.Context, memberID string, scheme domain.SchemeCode, on time.Time, scope Scope) ([]domain.Coverage, error) {
	if !validUUID(memberID) {
		return nil, ErrNotFound
	}
	on = day(on)
	var rows []coverageRow
	if scope.All {
		// The other services' path (NATS): one prepared statement, so a
		// query is one round trip instead of parse, bind and execute. The
		// statement is the Store's, shared by every call, so it is not
		// closed here.
		stmt, err := s.coverageStmt(ctx) //nolint:sqlclosecheck // cached on the Store for its lifetime
		if err != nil {
			return nil, err
		}
		if err := stmt.SelectContext(ctx, &rows, memberID, on); err != nil {
			return nil, fmt.Errorf("coverage of %s: %w", memberID, err)
		}
	} else {
		cond, args := scopeSQL(scope, 3)
		if err := sqlx.SelectContext(ctx, s.db, &rows, coverageSQL+` AND `+cond, append([]any{memberID, on}, args...)...); err != nil {
			return nil, fmt.Errorf("coverage of %s: %w", memberID, err)
		}
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	var enrollments []domain.Enrollment
	plans := map[string]domain.Plan{}
	for _, r := range rows {
		if !r.EID.Valid {
			continue
		}
		e, p := r.toDomain(memberID)
		enrollments = append(enrollments, e)
		plans[p.ID] = p
	}
	schemes := domain.Schemes
	if scheme != "" {
		schemes = []domain.SchemeCode{scheme}
	}
	out := make([]domain.Coverage, 0, len(schemes))
	for _, sc := range schemes {
		out = append(out, domain.CoverageOn(memberID, sc, on, enrollments, plans))
	}
	return out, nil
}

// coverageSQL finds the member and the enrollments (with their plans)
// whose period contains the day; the gist index of the exclusion constraint
// serves the range test.
const coverageSQL = `SELECT m.id AS mid, e.id AS e_id, e.plan_id AS e_plan_id, e.scheme AS e_scheme, e.plan_year AS e_plan_year,
	lower(e.period) AS e_from, upper(e.period) - 1 AS e_to, e.covered_from AS e_covered_from, e.status AS e_status,
	e.end_reason AS e_end_reason, e.version AS e_version,
	p.name AS p_name, p.premium_fen AS p_premium_fen, p.payer AS p_payer, p.waiting_days AS p_waiting_days,
	lower(p.coverage) AS p_from, upper(p.coverage) - 1 AS p_to,
	p.sum_death_fen AS p_death, p.sum_disability_fen AS p_disability, p.sum_critical_illness_fen AS p_critical
	FROM members m
	LEFT JOIN enrollments e ON e.member_id = m.id AND e.period @> $2::date
	LEFT JOIN plans p ON p.id = e.plan_id
	WHERE m.id = $1`

func (s *Store) coverageStmt(ctx context.Context) (*sqlx.Stmt, error) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.coverage != nil {
		return s.coverage, nil
	}
	stmt, err := s.db.PreparexContext(ctx, coverageSQL)
	if err != nil {
		return nil, fmt.Errorf("prepare coverage query: %w", err)
	}
	s.coverage = stmt
	return stmt, nil
}

// Today is the service's current date in Asia/Shanghai.
func (s *Store) Today() time.Time { return clock.Today(s.clock) }

// EnrollmentFact is one dated fact of an enrollment as recorded.
type EnrollmentFact struct {
	domain.EnrollmentEvent
	RecordedAt time.Time
	Actor      string
}

// EnrollmentFacts lists the dated facts of an enrollment in scope
// (activated, lapsed, ended), in the order they were recorded.
func (s *Store) EnrollmentFacts(ctx context.Context, id string, scope Scope) ([]EnrollmentFact, error) {
	if _, err := s.getEnrollment(ctx, s.db, id, scope, false); err != nil {
		return nil, err
	}
	var rows []struct {
		Kind       string         `db:"kind"`
		On         time.Time      `db:"effective_on"`
		Reason     sql.NullString `db:"reason"`
		RecordedAt time.Time      `db:"recorded_at"`
		Actor      string         `db:"actor"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, `SELECT kind, effective_on, reason, recorded_at, actor
		FROM enrollment_events WHERE enrollment_id = $1 ORDER BY id`, id); err != nil {
		return nil, fmt.Errorf("load facts of enrollment %s: %w", id, err)
	}
	out := make([]EnrollmentFact, len(rows))
	for i, r := range rows {
		out[i] = EnrollmentFact{EnrollmentEvent: domain.EnrollmentEvent{EnrollmentID: id, Kind: domain.EnrollmentEventKind(r.Kind),
			On: day(r.On), Reason: domain.EndReason(r.Reason.String)}, RecordedAt: r.RecordedAt.UTC(), Actor: r.Actor}
	}
	return out, nil
}
