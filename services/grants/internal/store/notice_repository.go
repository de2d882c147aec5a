package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// ApplyGraded records a disability grading from injury and opens the
// notices it leads to, in the consumer's transaction tx. A redelivery
// opens nothing twice (the notices' unique key).
func (s *Store) ApplyGraded(ctx context.Context, tx *sqlx.Tx, g domain.Graded, eventID string) (int, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO gradings (case_id, member_id, grade, graded_on, work_injury) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (case_id) DO UPDATE SET grade = EXCLUDED.grade, graded_on = EXCLUDED.graded_on, work_injury = EXCLUDED.work_injury`,
		g.CaseID, g.MemberID, g.Grade, g.GradedOn, g.WorkInjury); err != nil {
		return 0, fmt.Errorf("record grading: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (member_id, unit_id) VALUES ($1, $2)
		ON CONFLICT (member_id) DO UPDATE SET unit_id = CASE WHEN EXCLUDED.unit_id <> '' THEN EXCLUDED.unit_id ELSE members.unit_id END`,
		g.MemberID, g.UnitID); err != nil {
		return 0, fmt.Errorf("record member: %w", err)
	}
	progs, err := s.currentPrograms(ctx, tx, g.GradedOn)
	if err != nil {
		return 0, err
	}
	return s.insertNotices(ctx, tx, domain.NoticesForGraded(g, progs, s.Clock.Now()), eventID)
}

// MemberProjection names the projection of enrollment's members in
// bus.Advance: the member's facts follow the newest member event only.
const MemberProjection = "grants-members"

// fresh reports whether an event at version of member is newer than what
// the projection holds (and records it); an event without a version is
// always applied.
func fresh(ctx context.Context, tx *sqlx.Tx, memberID string, version int64) (bool, error) {
	if version <= 0 {
		return true, nil
	}
	return bus.Advance(ctx, tx, MemberProjection, memberID, version)
}

// ApplyDeceased records a member's death from enrollment, opens the
// martyr-family notices, and dates the end of recurring grants paid to the
// deceased (they run six months more). version is the member's version the
// event carries: the member's other facts (unit, category, dependants,
// honours) change only when no newer event was applied.
func (s *Store) ApplyDeceased(ctx context.Context, tx *sqlx.Tx, d domain.Deceased, version int64, eventID string) (int, error) {
	newest, err := fresh(ctx, tx, d.MemberID, version)
	if err != nil {
		return 0, err
	}
	deps, hon := jsonList(d.Dependants), jsonList(d.Honours)
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (member_id, unit_id, category, deceased, died_on, death_cause, dependants, honours, updated_at)
		VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8)
		ON CONFLICT (member_id) DO UPDATE SET deceased = true, died_on = EXCLUDED.died_on, death_cause = EXCLUDED.death_cause,
		unit_id = CASE WHEN $9 THEN EXCLUDED.unit_id ELSE members.unit_id END,
		category = CASE WHEN $9 THEN EXCLUDED.category ELSE members.category END,
		dependants = CASE WHEN $9 THEN EXCLUDED.dependants ELSE members.dependants END,
		honours = CASE WHEN $9 THEN EXCLUDED.honours ELSE members.honours END,
		updated_at = EXCLUDED.updated_at`,
		d.MemberID, d.UnitID, string(d.Category), d.DiedOn, string(d.Cause), deps, hon, s.Clock.Now(), newest); err != nil {
		return 0, fmt.Errorf("record death: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE recurring_grants r SET recipient_death = $2, version = r.version + 1, updated_at = $3
		FROM applications a WHERE a.id = r.application_id AND r.recipient_death IS NULL
		AND (a.dependant_id = $1 OR (a.dependant_id = '' AND a.member_id = $1))`, d.MemberID, d.DiedOn, s.Clock.Now()); err != nil {
		return 0, fmt.Errorf("end recurring grants: %w", err)
	}
	progs, err := s.currentPrograms(ctx, tx, d.DiedOn)
	if err != nil {
		return 0, err
	}
	return s.insertNotices(ctx, tx, domain.NoticesForDeath(d, progs, s.Clock.Now()), eventID)
}

// ApplyMember keeps a member's unit, category, dependants and honours from
// enrollment's member.registered or member.updated at version, in the
// consumer's transaction; an event older than the newest applied changes
// nothing. A death is recorded by ApplyDeceased only.
func (s *Store) ApplyMember(ctx context.Context, tx *sqlx.Tx, m domain.MemberChanged, version int64) error {
	newest, err := fresh(ctx, tx, m.MemberID, version)
	if err != nil || !newest {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (member_id, unit_id, category, dependants, honours, updated_at, name)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (member_id) DO UPDATE SET unit_id = CASE WHEN EXCLUDED.unit_id <> '' THEN EXCLUDED.unit_id ELSE members.unit_id END,
		category = EXCLUDED.category, dependants = EXCLUDED.dependants, honours = EXCLUDED.honours, updated_at = EXCLUDED.updated_at,
		name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE members.name END`,
		m.MemberID, m.UnitID, string(m.Category), jsonList(m.Dependants), jsonList(m.Honours), s.Clock.Now(), m.Name); err != nil {
		return fmt.Errorf("record member %s: %w", m.MemberID, err)
	}
	return nil
}

// jsonList is a list as a JSON array; nil is [].
func jsonList[T any](xs []T) []byte {
	if xs == nil {
		xs = []T{}
	}
	b, _ := json.Marshal(xs)
	return b
}

func (s *Store) insertNotices(ctx context.Context, tx *sqlx.Tx, ns []domain.Notice, eventID string) (int, error) {
	n := 0
	for _, x := range ns {
		var grade *int
		if x.Grade > 0 {
			grade = &x.Grade
		}
		var eventDate *time.Time
		if !x.EventDate.IsZero() {
			eventDate = &x.EventDate
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO notices (program_id, member_id, dependant_id, unit_id, event_ref, grade, cause, event_date,
			source_event_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, '')::uuid, $10, $10)
			ON CONFLICT (program_id, member_id, dependant_id, event_ref) DO NOTHING`,
			x.ProgramID, x.MemberID, x.DependantID, x.UnitID, x.EventRef, grade, string(x.Cause), eventDate, eventID, x.CreatedAt)
		if err != nil {
			return n, fmt.Errorf("insert notice: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

type noticeRow struct {
	ID          string     `db:"id"`
	ProgramID   string     `db:"program_id"`
	MemberID    string     `db:"member_id"`
	DependantID string     `db:"dependant_id"`
	UnitID      string     `db:"unit_id"`
	EventRef    string     `db:"event_ref"`
	Grade       *int       `db:"grade"`
	Cause       string     `db:"cause"`
	EventDate   *time.Time `db:"event_date"`
	State       string     `db:"state"`
	CreatedAt   time.Time  `db:"created_at"`
}

func (r noticeRow) domain() domain.Notice {
	n := domain.Notice{ID: r.ID, ProgramID: r.ProgramID, MemberID: r.MemberID, DependantID: r.DependantID, UnitID: r.UnitID,
		EventRef: r.EventRef, Cause: domain.DeathCause(r.Cause), State: domain.NoticeState(r.State), CreatedAt: r.CreatedAt.UTC()}
	if r.Grade != nil {
		n.Grade = *r.Grade
	}
	if r.EventDate != nil {
		n.EventDate = r.EventDate.UTC()
	}
	return n
}

const noticeCols = `id::text AS id, program_id::text AS program_id, member_id, dependant_id, unit_id, event_ref, grade, cause, event_date, state, created_at`

// NoticesQuery is the SQL of a page of notices in state ("" for any)
// of units (or of every unit when anyUnit), oldest first, after the
// position (afterAt, afterID) when it is not the first page; fetch is the
// rows to read. The plan guard (TestNoticeListUsesIndexes) plans exactly
// this.
func NoticesQuery(units []string, anyUnit bool, state domain.NoticeState, afterAt *time.Time, afterID *string, fetch int) (string, []any) {
	if units == nil {
		units = []string{}
	}
	return `SELECT ` + noticeCols + ` FROM notices WHERE ($1 OR unit_id = ANY($2)) AND ($3 = '' OR state = $3)
		AND ($4::timestamptz IS NULL OR (created_at, id) > ($4, $5::uuid))
		ORDER BY created_at, id LIMIT $6`, []any{anyUnit, pq.StringArray(units), string(state), afterAt, afterID, fetch}
}

// Notices lists a page of notices, oldest first (the longest waiting at
// the top), and the cursor of the next page ("" on the last).
func (s *Store) Notices(ctx context.Context, units []string, anyUnit bool, state domain.NoticeState, pr page.Request) ([]domain.Notice, string, error) {
	if pr.Limit <= 0 || pr.Limit > page.MaxLimit {
		pr.Limit = page.DefaultLimit
	}
	var (
		at      time.Time
		id      string
		afterAt *time.Time
		afterID *string
	)
	ok, err := pr.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	if ok {
		if !ValidID(id) {
			return nil, "", invalidID("after")
		}
		afterAt, afterID = &at, &id
	}
	q, args := NoticesQuery(units, anyUnit, state, afterAt, afterID, pr.Fetch())
	var rs []noticeRow
	if err := s.DB.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, "", fmt.Errorf("notices: %w", err)
	}
	out := make([]domain.Notice, len(rs))
	for i, r := range rs {
		out[i] = r.domain()
	}
	out, next := page.Trim(pr, out, func(n domain.Notice) string { return page.Cursor(n.CreatedAt, n.ID) })
	return out, next, nil
}

// Notice returns one notice.
func (s *Store) Notice(ctx context.Context, id string) (domain.Notice, error) {
	if !ValidID(id) {
		return domain.Notice{}, ErrNotFound
	}
	var r noticeRow
	if err := s.DB.GetContext(ctx, &r, `SELECT `+noticeCols+` FROM notices WHERE id = $1`, id); err != nil {
		if isNoRows(err) {
			return domain.Notice{}, ErrNotFound
		}
		return domain.Notice{}, fmt.Errorf("notice %s: %w", id, err)
	}
	return r.domain(), nil
}

// DismissNotice closes an open notice with a reason.
func (s *Store) DismissNotice(ctx context.Context, m Meta, id, reason string) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notices SET state = 'dismissed', reason = $2, version = version + 1, updated_at = $3
			WHERE id = $1 AND state = 'open'`, id, reason, s.Clock.Now())
		if err != nil {
			return fmt.Errorf("dismiss notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.ErrTransition.With(string(domain.NoticeDismissed))
		}
		return s.audit(ctx, tx, m, "grants.notice.dismiss", "notice", id, nil, map[string]string{"reason": reason})
	})
}

// Member returns the projection of a member and their latest grading; nil
// when the service has heard nothing of them.
func (s *Store) Member(ctx context.Context, q sqlx.QueryerContext, memberID string) (*domain.MemberRecord, *domain.LatestGrading, error) {
	ms, gs, err := s.Members(ctx, q, []string{memberID})
	if err != nil {
		return nil, nil, err
	}
	return ms[memberID], gs[memberID], nil
}

// memberRow is a member of the projection as members stores it.
type memberRow struct {
	MemberID   string     `db:"member_id"`
	UnitID     string     `db:"unit_id"`
	Category   string     `db:"category"`
	Deceased   bool       `db:"deceased"`
	DiedOn     *time.Time `db:"died_on"`
	Cause      string     `db:"death_cause"`
	Name       string     `db:"name"`
	Dependants []byte     `db:"dependants"`
	Honours    []byte     `db:"honours"`
}

// Members is Member for many members at once, in two queries: the members
// projected (absent ids are not in the first map) and each one's latest
// work-injury grading (absent when none).
func (s *Store) Members(ctx context.Context, q sqlx.QueryerContext, ids []string) (map[string]*domain.MemberRecord, map[string]*domain.LatestGrading, error) {
	if q == nil {
		q = s.DB
	}
	var rs []memberRow
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT member_id, unit_id, category, deceased, died_on, death_cause, name, dependants, honours
		FROM members WHERE member_id = ANY($1)`, pq.StringArray(ids)); err != nil {
		return nil, nil, fmt.Errorf("members: %w", err)
	}
	ms := make(map[string]*domain.MemberRecord, len(rs))
	for _, r := range rs {
		rec := &domain.MemberRecord{MemberID: r.MemberID, Name: r.Name, UnitID: r.UnitID, Category: domain.Category(r.Category), Deceased: r.Deceased, Cause: domain.DeathCause(r.Cause)}
		if r.DiedOn != nil {
			rec.DiedOn = r.DiedOn.UTC()
		}
		if err := json.Unmarshal(r.Dependants, &rec.Dependants); err != nil {
			return nil, nil, fmt.Errorf("member %s dependants: %w", r.MemberID, err)
		}
		if err := json.Unmarshal(r.Honours, &rec.Honours); err != nil {
			return nil, nil, fmt.Errorf("member %s honours: %w", r.MemberID, err)
		}
		ms[r.MemberID] = rec
	}
	var gr []struct {
		MemberID string    `db:"member_id"`
		CaseID   string    `db:"case_id"`
		Grade    int       `db:"grade"`
		GradedOn time.Time `db:"graded_on"`
	}
	if err := sqlx.SelectContext(ctx, q, &gr, `SELECT DISTINCT ON (member_id) member_id, case_id, grade, graded_on FROM gradings
		WHERE member_id = ANY($1) AND work_injury ORDER BY member_id, graded_on DESC, received_at DESC`, pq.StringArray(ids)); err != nil {
		return nil, nil, fmt.Errorf("members' gradings: %w", err)
	}
	gs := make(map[string]*domain.LatestGrading, len(gr))
	for _, g := range gr {
		gs[g.MemberID] = &domain.LatestGrading{CaseID: g.CaseID, Grade: g.Grade, GradedOn: g.GradedOn.UTC()}
	}
	return ms, gs, nil
}
