package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// A member's own lists, its enrollments and its versions, page by key like
// the catalogues (PLATFORM.md, "Lists"): a member enrolled every year for
// thirty years, or changed a thousand times by roster imports, costs a page,
// not the whole record.

// MemberEnrollmentsQuery lists a member's enrollments oldest first (first
// day, then id), after (from, id) when afterID is set;
// enrollments_member_keyset serves it.
func MemberEnrollmentsQuery(limit int, memberID string, afterFrom time.Time, afterID string) (string, []any) {
	q := `SELECT ` + enrollmentColumns + ` FROM enrollments e WHERE e.member_id = $1`
	args := []any{memberID}
	if afterID != "" {
		q += ` AND (lower(e.period), e.id) > ($2::date, $3::uuid)`
		args = append(args, afterFrom.Format(time.DateOnly), afterID)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY lower(e.period), e.id LIMIT $%d`, len(args)), args
}

// MemberEnrollments lists a page of a member's enrollments, oldest first.
func (s *Store) MemberEnrollments(ctx context.Context, memberID string, scope Scope, p page.Request) ([]domain.Enrollment, string, error) {
	p = pageOf(p)
	var (
		from string
		id   string
	)
	ok, err := p.Decode(&from, &id)
	if err != nil {
		return nil, "", err
	}
	var after time.Time
	if ok {
		if after, err = time.Parse(time.DateOnly, from); err != nil || !validUUID(id) {
			return nil, "", badCursor()
		}
	}
	if _, err := s.getMember(ctx, s.db, memberID, scope, false, false); err != nil {
		return nil, "", err
	}
	q, args := MemberEnrollmentsQuery(p.Fetch(), memberID, after, id)
	var rows []enrollmentRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list enrollments of %s: %w", memberID, err)
	}
	rows, next := page.Trim(p, rows, func(r enrollmentRow) string {
		return page.Cursor(r.PeriodFrom.Format(time.DateOnly), r.ID)
	})
	out := make([]domain.Enrollment, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, next, nil
}

const versionColumns = `version, recorded_at, actor, change, snapshot`

type versionRow struct {
	Version    int64     `db:"version"`
	RecordedAt time.Time `db:"recorded_at"`
	Actor      string    `db:"actor"`
	Change     string    `db:"change"`
	Snapshot   []byte    `db:"snapshot"`
}

// HistoryQuery lists a member's versions oldest first, after version
// afterVersion (0: from the first); the primary key serves it.
func HistoryQuery(limit int, memberID string, afterVersion int64) (string, []any) {
	return `SELECT ` + versionColumns + ` FROM member_versions WHERE member_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
		[]any{memberID, afterVersion, limit}
}

// KnownAtQuery is the version of a member current at an instant: the last
// recorded at or before it; member_versions_recorded serves it.
const KnownAtQuery = `SELECT ` + versionColumns + ` FROM member_versions WHERE member_id = $1 AND recorded_at <= $2
	ORDER BY recorded_at DESC, version DESC LIMIT 1`

// History lists a page of a member's versions, oldest first.
func (s *Store) History(ctx context.Context, id string, scope Scope, p page.Request) ([]domain.MemberVersion, string, error) {
	p = pageOf(p)
	var after int64
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	if _, err := s.GetMember(ctx, id, scope); err != nil {
		return nil, "", err
	}
	q, args := HistoryQuery(p.Fetch(), id, after)
	var rows []versionRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("load history of %s: %w", id, err)
	}
	rows, next := page.Trim(p, rows, func(r versionRow) string { return page.Cursor(r.Version) })
	out, err := s.openVersions(id, rows)
	return out, next, err
}

// VersionAt is the version of a member that was current at instant t (the
// last one recorded at or before it); ErrNotFound before the member was
// registered.
func (s *Store) VersionAt(ctx context.Context, id string, scope Scope, t time.Time) (domain.MemberVersion, error) {
	if _, err := s.GetMember(ctx, id, scope); err != nil {
		return domain.MemberVersion{}, err
	}
	var rows []versionRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, KnownAtQuery, id, t); err != nil {
		return domain.MemberVersion{}, fmt.Errorf("load version of %s at %s: %w", id, t, err)
	}
	if len(rows) == 0 {
		return domain.MemberVersion{}, ErrNotFound
	}
	out, err := s.openVersions(id, rows)
	if err != nil {
		return domain.MemberVersion{}, err
	}
	return out[0], nil
}

// openVersions unseals the snapshots of member id's version rows.
func (s *Store) openVersions(id string, rows []versionRow) ([]domain.MemberVersion, error) {
	out := make([]domain.MemberVersion, 0, len(rows))
	for _, r := range rows {
		plain, err := s.sealer.Open(r.Snapshot)
		if err != nil {
			return nil, fmt.Errorf("open version %d of %s: %w", r.Version, id, err)
		}
		var m domain.Member
		if err := json.Unmarshal([]byte(plain), &m); err != nil {
			return nil, fmt.Errorf("decode version %d of %s: %w", r.Version, id, err)
		}
		out = append(out, domain.MemberVersion{Version: r.Version, RecordedAt: r.RecordedAt.UTC(), Actor: r.Actor,
			Change: domain.ChangeKind(r.Change), Member: m})
	}
	return out, nil
}
