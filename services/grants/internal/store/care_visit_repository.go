package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// AddVisit records a visit to record recordID: decide runs on the record,
// locked, and returns the visit to store (or refuses it); after the insert
// it runs in the same transaction (the event), then the audit row.
func (s *Store) AddVisit(ctx context.Context, m Meta, recordID string, decide func(domain.CareRecord) (domain.Visit, error),
	after func(*sqlx.Tx, domain.CareRecord, domain.Visit) error) (domain.Visit, error) {
	var out domain.Visit
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		rec, err := s.careRecord(ctx, tx, recordID, true)
		if err != nil {
			return err
		}
		v, err := decide(rec)
		if err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("visit id: %w", err)
		}
		v.ID, v.RecordID, v.CreatedAt = id.String(), rec.ID, s.Clock.Now().UTC()
		given, _ := json.Marshal(nonNil(v.Given))
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_visits (id, record_id, occasion, year, visited_on, visitors, given, total,
			family_raised, notes, recorded_by, recorded_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			v.ID, v.RecordID, string(v.Occasion), v.Year, v.VisitedOn, pq.StringArray(v.Visitors), given, int64(v.Total()),
			v.FamilyRaised, v.Notes, v.RecordedBy, v.RecordedName, v.CreatedAt); err != nil {
			return fmt.Errorf("insert visit: %w", err)
		}
		if err := after(tx, rec, v); err != nil {
			return err
		}
		out = v
		return s.audit(ctx, tx, m, "grants.care.visit", "care_visit", v.ID, nil, map[string]any{"record_id": rec.ID,
			"occasion": v.Occasion, "year": v.Year, "visited_on": v.VisitedOn.Format(time.DateOnly), "total": v.Total()})
	})
	return out, err
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

type visitRow struct {
	ID           string         `db:"id"`
	RecordID     string         `db:"record_id"`
	Occasion     string         `db:"occasion"`
	Year         int            `db:"year"`
	VisitedOn    time.Time      `db:"visited_on"`
	Visitors     pq.StringArray `db:"visitors"`
	Given        []byte         `db:"given"`
	FamilyRaised string         `db:"family_raised"`
	Notes        string         `db:"notes"`
	RecordedBy   string         `db:"recorded_by"`
	RecordedName string         `db:"recorded_name"`
	CreatedAt    time.Time      `db:"created_at"`
}

const visitCols = `id::text AS id, record_id::text AS record_id, occasion, year, visited_on, visitors, given, family_raised, notes,
	recorded_by, recorded_name, created_at`

func (r visitRow) domain() (domain.Visit, error) {
	v := domain.Visit{ID: r.ID, RecordID: r.RecordID, Occasion: domain.Occasion(r.Occasion), Year: r.Year, VisitedOn: r.VisitedOn.UTC(),
		Visitors: []string(r.Visitors), FamilyRaised: r.FamilyRaised, Notes: r.Notes, RecordedBy: r.RecordedBy, RecordedName: r.RecordedName,
		CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal(r.Given, &v.Given); err != nil {
		return v, fmt.Errorf("visit %s given: %w", r.ID, err)
	}
	return v, nil
}

// Visits returns the visits of records, newest first, each with its
// photos' metadata.
func (s *Store) Visits(ctx context.Context, recordIDs ...string) ([]domain.Visit, error) {
	var rs []visitRow
	if err := s.DB.SelectContext(ctx, &rs, `SELECT `+visitCols+` FROM care_visits WHERE record_id = ANY($1::uuid[])
		ORDER BY visited_on DESC, created_at DESC`, pq.StringArray(recordIDs)); err != nil {
		return nil, fmt.Errorf("visits: %w", err)
	}
	out := make([]domain.Visit, 0, len(rs))
	ids := make([]string, 0, len(rs))
	at := map[string]int{}
	for _, r := range rs {
		v, err := r.domain()
		if err != nil {
			return nil, err
		}
		at[v.ID] = len(out)
		out = append(out, v)
		ids = append(ids, v.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []photoRow
	if err := s.DB.SelectContext(ctx, &ps, `SELECT `+photoCols+` FROM care_visit_photos WHERE visit_id = ANY($1::uuid[]) ORDER BY uploaded_at, id`,
		pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("visit photos: %w", err)
	}
	for _, p := range ps {
		i := at[p.VisitID]
		out[i].Photos = append(out[i].Photos, p.document())
	}
	return out, nil
}

// Visit returns one visit (without photos).
func (s *Store) Visit(ctx context.Context, id string) (domain.Visit, error) {
	if !ValidID(id) {
		return domain.Visit{}, ErrNotFound
	}
	var r visitRow
	if err := s.DB.GetContext(ctx, &r, `SELECT `+visitCols+` FROM care_visits WHERE id = $1`, id); err != nil {
		if isNoRows(err) {
			return domain.Visit{}, ErrNotFound
		}
		return domain.Visit{}, fmt.Errorf("visit %s: %w", id, err)
	}
	return r.domain()
}

type photoRow struct {
	ID          string    `db:"id"`
	VisitID     string    `db:"visit_id"`
	FileName    string    `db:"file_name"`
	ContentType string    `db:"content_type"`
	Size        int64     `db:"size_bytes"`
	SHA256      []byte    `db:"sha256"`
	UploadedBy  string    `db:"uploaded_by"`
	UploadedAt  time.Time `db:"uploaded_at"`
}

const photoCols = `id::text AS id, visit_id::text AS visit_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at`

// document is a visit's photo as a document; its ApplicationID holds the
// visit's id and its kind is "photo".
func (r photoRow) document() domain.Document {
	return domain.Document{ID: r.ID, ApplicationID: r.VisitID, Kind: "photo", FileName: r.FileName, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt.UTC()}
}

// AddVisitPhoto stores a photo of a visit with its audit row.
func (s *Store) AddVisitPhoto(ctx context.Context, m Meta, visitID string, d NewDocument) (domain.Document, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Document{}, fmt.Errorf("photo id: %w", err)
	}
	sum := sha256.Sum256(d.Content)
	out := domain.Document{ID: id.String(), ApplicationID: visitID, Kind: "photo", FileName: d.FileName, ContentType: d.ContentType,
		Size: int64(len(d.Content)), SHA256: sum[:], UploadedBy: m.Actor, UploadedAt: s.Clock.Now().UTC()}
	err = pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_visit_photos (id, visit_id, file_name, content_type, size_bytes, sha256, content,
			uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			out.ID, visitID, out.FileName, out.ContentType, out.Size, out.SHA256, d.Content, out.UploadedBy, out.UploadedAt); err != nil {
			return fmt.Errorf("insert visit photo: %w", err)
		}
		return s.audit(ctx, tx, m, "grants.care.photo.upload", "care_visit_photo", out.ID, nil, map[string]any{"visit_id": visitID,
			"size_bytes": out.Size, "content_type": out.ContentType, "sha256": fmt.Sprintf("%x", sum)})
	})
	return out, err
}

// ReadVisitPhoto returns a photo of a visit with its content and audits
// the read.
func (s *Store) ReadVisitPhoto(ctx context.Context, m Meta, visitID, photoID string) (domain.Document, []byte, error) {
	if !ValidID(visitID) || !ValidID(photoID) {
		return domain.Document{}, nil, ErrNotFound
	}
	var (
		doc     domain.Document
		content []byte
	)
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var row struct {
			photoRow
			Content []byte `db:"content"`
		}
		if err := tx.GetContext(ctx, &row, `SELECT `+photoCols+`, content FROM care_visit_photos WHERE id = $1 AND visit_id = $2`, photoID, visitID); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return fmt.Errorf("read visit photo: %w", err)
		}
		doc, content = row.document(), row.Content
		return s.audit(ctx, tx, m, "grants.care.photo.read", "care_visit_photo", photoID, nil, map[string]any{"visit_id": visitID})
	})
	return doc, content, err
}
