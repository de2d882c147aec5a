package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// ErrCareExists: the member already has a care record of that kind.
var ErrCareExists = errors.New("grants store: care record exists")

type careRow struct {
	ID            string     `db:"id"`
	MemberID      string     `db:"member_id"`
	UnitID        string     `db:"unit_id"`
	Kind          string     `db:"kind"`
	SubjectName   string     `db:"subject_name"`
	DiedOn        *time.Time `db:"died_on"`
	Grade         *int       `db:"grade"`
	Persons       []byte     `db:"persons"`
	OpenedBy      string     `db:"opened_by"`
	SourceEventID *string    `db:"source_event_id"`
	Version       int64      `db:"version"`
	CreatedAt     time.Time  `db:"created_at"`
}

const careCols = `id::text AS id, member_id, unit_id, kind, subject_name, died_on, grade, persons, opened_by,
	source_event_id::text AS source_event_id, version, created_at`

// personJSON is how a family member is kept in care_records.persons.
type personJSON struct {
	ID        string `json:"id"`
	Relation  string `json:"relation"`
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"`
}

func (r careRow) domain() (domain.CareRecord, error) {
	rec := domain.CareRecord{ID: r.ID, MemberID: r.MemberID, UnitID: r.UnitID, Kind: domain.CareKind(r.Kind), SubjectName: r.SubjectName,
		OpenedBy: r.OpenedBy, Version: r.Version, CreatedAt: r.CreatedAt.UTC()}
	if r.DiedOn != nil {
		rec.DiedOn = r.DiedOn.UTC()
	}
	if r.Grade != nil {
		rec.Grade = *r.Grade
	}
	if r.SourceEventID != nil {
		rec.SourceEventID = *r.SourceEventID
	}
	var ps []personJSON
	if err := json.Unmarshal(r.Persons, &ps); err != nil {
		return rec, fmt.Errorf("care record %s persons: %w", r.ID, err)
	}
	for _, p := range ps {
		cp := domain.CarePerson{ID: p.ID, Relation: p.Relation, Name: p.Name}
		if b, err := time.Parse(time.DateOnly, p.BirthDate); err == nil {
			cp.BirthDate = b
		}
		rec.Persons = append(rec.Persons, cp)
	}
	return rec, nil
}

func personsJSON(ps []domain.CarePerson) []byte {
	out := make([]personJSON, 0, len(ps))
	for _, p := range ps {
		j := personJSON{ID: p.ID, Relation: p.Relation, Name: p.Name}
		if !p.BirthDate.IsZero() {
			j.BirthDate = p.BirthDate.Format(time.DateOnly)
		}
		out = append(out, j)
	}
	b, _ := json.Marshal(out)
	return b
}

// OpenCare inserts a care record in tx; opened is false when the member
// already has one of that kind (a redelivered event, a second hand-opened
// record), and then nothing changes.
func (s *Store) OpenCare(ctx context.Context, tx *sqlx.Tx, rec domain.CareRecord) (domain.CareRecord, bool, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return rec, false, fmt.Errorf("care record id: %w", err)
	}
	rec.ID, rec.Version = id.String(), 1
	var died *time.Time
	if !rec.DiedOn.IsZero() {
		died = &rec.DiedOn
	}
	var grade *int
	if rec.Grade > 0 {
		grade = &rec.Grade
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO care_records (id, member_id, unit_id, kind, subject_name, died_on, grade, persons, opened_by,
		source_event_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, '')::uuid, 1, $11, $11)
		ON CONFLICT (member_id, kind) DO NOTHING`,
		rec.ID, rec.MemberID, rec.UnitID, string(rec.Kind), rec.SubjectName, died, grade, personsJSON(rec.Persons), rec.OpenedBy,
		rec.SourceEventID, rec.CreatedAt)
	if err != nil {
		return rec, false, fmt.Errorf("open care record: %w", err)
	}
	n, _ := res.RowsAffected()
	return rec, n == 1, nil
}

// OpenCareFromEvent opens a record from a consumed event in the
// consumer's transaction, with its audit row when it is new.
func (s *Store) OpenCareFromEvent(ctx context.Context, tx *sqlx.Tx, rec domain.CareRecord) error {
	out, opened, err := s.OpenCare(ctx, tx, rec)
	if err != nil || !opened {
		return err
	}
	return s.audit(ctx, tx, Meta{Actor: domain.SystemActor}, "grants.care.open", "care_record", out.ID, nil, CareAuditView(out))
}

// CareAuditView is what an audit row records of a care record: ids and
// facts, never the family's names.
func CareAuditView(r domain.CareRecord) map[string]any {
	ls := map[string]string{}
	for _, l := range r.Liaisons {
		ls[string(l.Role)] = l.UserID
	}
	return map[string]any{"member_id": r.MemberID, "unit_id": r.UnitID, "kind": r.Kind, "liaisons": ls, "version": r.Version}
}

// OpenCareByHand opens a record a caseworker takes on, with its audit row.
func (s *Store) OpenCareByHand(ctx context.Context, m Meta, rec domain.CareRecord) (domain.CareRecord, error) {
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		out, opened, err := s.OpenCare(ctx, tx, rec)
		if err != nil {
			return err
		}
		if !opened {
			return ErrCareExists
		}
		rec = out
		return s.audit(ctx, tx, m, "grants.care.open", "care_record", rec.ID, nil, CareAuditView(rec))
	})
	return rec, err
}

// CareRecord returns one record with its liaisons.
func (s *Store) CareRecord(ctx context.Context, q sqlx.QueryerContext, id string) (domain.CareRecord, error) {
	return s.careRecord(ctx, q, id, false)
}

func (s *Store) careRecord(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.CareRecord, error) {
	if !ValidID(id) {
		return domain.CareRecord{}, ErrNotFound
	}
	if q == nil {
		q = s.DB
	}
	query := `SELECT ` + careCols + ` FROM care_records WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var r careRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if isNoRows(err) {
			return domain.CareRecord{}, ErrNotFound
		}
		return domain.CareRecord{}, fmt.Errorf("care record %s: %w", id, err)
	}
	rec, err := r.domain()
	if err != nil {
		return rec, err
	}
	recs := []domain.CareRecord{rec}
	if err := s.loadLiaisons(ctx, q, recs); err != nil {
		return rec, err
	}
	return recs[0], nil
}

type liaisonRow struct {
	RecordID   string    `db:"record_id"`
	Role       string    `db:"role"`
	UserID     string    `db:"user_id"`
	Name       string    `db:"name"`
	Phone      string    `db:"phone"`
	AssignedBy string    `db:"assigned_by"`
	AssignedAt time.Time `db:"assigned_at"`
}

func (s *Store) loadLiaisons(ctx context.Context, q sqlx.QueryerContext, recs []domain.CareRecord) error {
	if len(recs) == 0 {
		return nil
	}
	ids := make([]string, len(recs))
	at := map[string]int{}
	for i, r := range recs {
		ids[i], at[r.ID] = r.ID, i
	}
	var rs []liaisonRow
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT record_id::text AS record_id, role, user_id, name, phone, assigned_by, assigned_at
		FROM care_liaisons WHERE record_id = ANY($1::uuid[]) ORDER BY record_id, role = 'leader' DESC, role`, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("care liaisons: %w", err)
	}
	for _, l := range rs {
		i := at[l.RecordID]
		recs[i].Liaisons = append(recs[i].Liaisons, domain.Liaison{Role: domain.LiaisonRole(l.Role), UserID: l.UserID, Name: l.Name,
			Phone: l.Phone, AssignedBy: l.AssignedBy, AssignedAt: l.AssignedAt.UTC()})
	}
	return nil
}

// CareScope is whose records a list shows: every record (the committee),
// or those of the units and those the user is a liaison of.
type CareScope struct {
	All    bool
	Units  []string
	UserID string
	// MemberID lists the records of one member only (the family's own).
	MemberID string
}

// CareRecordsQuery lists the records in scope after (afterAt, afterID)
// when given, oldest first, keyed by (created_at, id) on
// care_records_keyset. Exported for the EXPLAIN guard.
func CareRecordsQuery(sc CareScope, afterAt *time.Time, afterID *string, limit int) (string, []any) {
	units := pq.StringArray(sc.Units)
	if units == nil {
		units = pq.StringArray{}
	}
	return `SELECT ` + careCols + ` FROM care_records r
		WHERE (($5 AND r.member_id = $6) OR (NOT $5 AND ($1 OR r.unit_id = ANY($2)
			OR EXISTS (SELECT 1 FROM care_liaisons l WHERE l.record_id = r.id AND l.user_id = $3 AND $3 <> ''))))
		AND ($4::timestamptz IS NULL OR (r.created_at, r.id) > ($4, $7::uuid))
		ORDER BY r.created_at, r.id LIMIT $8`,
		[]any{sc.All, units, sc.UserID, afterAt, sc.MemberID != "", sc.MemberID, afterID, limit}
}

// CareRecords lists a page of the records in scope, oldest first, keyed
// by (created_at, id).
func (s *Store) CareRecords(ctx context.Context, sc CareScope, pr page.Request) ([]domain.CareRecord, string, error) {
	if pr.Limit <= 0 || pr.Limit > page.MaxLimit {
		pr.Limit = page.DefaultLimit
	}
	var (
		at      time.Time
		id      string
		afterAt *time.Time
		afterID *string
		rows    []careRow
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
	q, args := CareRecordsQuery(sc, afterAt, afterID, pr.Fetch())
	if err := s.DB.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("care records: %w", err)
	}
	out := make([]domain.CareRecord, 0, len(rows))
	for _, r := range rows {
		rec, err := r.domain()
		if err != nil {
			return nil, "", err
		}
		out = append(out, rec)
	}
	out, next := page.Trim(pr, out, func(r domain.CareRecord) string { return page.Cursor(r.CreatedAt, r.ID) })
	if err := s.loadLiaisons(ctx, s.DB, out); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// EachCarePage walks every record in scope a keyset page at a time
// (page.MaxLimit each), for the committee's summary and the export: no
// query reads the whole table, and fn sees each page with its liaisons.
func (s *Store) EachCarePage(ctx context.Context, sc CareScope, fn func([]domain.CareRecord) error) error {
	pr := page.Request{Limit: page.MaxLimit}
	for {
		recs, next, err := s.CareRecords(ctx, sc, pr)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			if err := fn(recs); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		pr.After = next
	}
}

// UpdateCare changes a record under If-Match version (0: any): fn decides
// on the locked record, its liaisons are saved, the version moves on and
// an audit row named action is written, in one transaction.
func (s *Store) UpdateCare(ctx context.Context, m Meta, action, id string, version int64, fn func(*domain.CareRecord) error) (domain.CareRecord, error) {
	var out domain.CareRecord
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		rec, err := s.careRecord(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if version > 0 && rec.Version != version {
			return ErrVersionMismatch
		}
		before := CareAuditView(rec)
		if err := fn(&rec); err != nil {
			return err
		}
		rec.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE care_records SET version = $2, updated_at = $3 WHERE id = $1`, rec.ID, rec.Version, s.Clock.Now()); err != nil {
			return fmt.Errorf("update care record: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM care_liaisons WHERE record_id = $1`, rec.ID); err != nil {
			return fmt.Errorf("replace liaisons: %w", err)
		}
		for _, l := range rec.Liaisons {
			if _, err := tx.ExecContext(ctx, `INSERT INTO care_liaisons (record_id, role, user_id, name, phone, assigned_by, assigned_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, rec.ID, string(l.Role), l.UserID, l.Name, l.Phone, l.AssignedBy, l.AssignedAt); err != nil {
				return fmt.Errorf("insert liaison: %w", err)
			}
		}
		out = rec
		return s.audit(ctx, tx, m, action, "care_record", rec.ID, before, CareAuditView(rec))
	})
	return out, err
}

// Audit records, in a transaction of its own, an action of m.Actor on
// object id of objType that changes no row of the service: a read (every
// read of a family's record is audited), an export, a run by hand.
func (s *Store) Audit(ctx context.Context, m Meta, action, objType, id string, detail any) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		return s.audit(ctx, tx, m, action, objType, id, nil, detail)
	})
}
