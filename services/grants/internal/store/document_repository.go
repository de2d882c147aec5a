package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

type documentRow struct {
	ID            string    `db:"id"`
	ApplicationID string    `db:"application_id"`
	Kind          string    `db:"kind"`
	FileName      string    `db:"file_name"`
	ContentType   string    `db:"content_type"`
	Size          int64     `db:"size_bytes"`
	SHA256        []byte    `db:"sha256"`
	UploadedBy    string    `db:"uploaded_by"`
	UploadedAt    time.Time `db:"uploaded_at"`
}

const documentCols = `id::text AS id, application_id::text AS application_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at`

func (r documentRow) document() domain.Document {
	return domain.Document{ID: r.ID, ApplicationID: r.ApplicationID, Kind: r.Kind, FileName: r.FileName, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt.UTC()}
}

func (s *Store) loadFiles(ctx context.Context, q sqlx.QueryerContext, rec *Record) error {
	var rs []documentRow
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT `+documentCols+` FROM application_documents
		WHERE application_id = $1 ORDER BY uploaded_at, id`, rec.App.ID); err != nil {
		return fmt.Errorf("application %s documents: %w", rec.App.ID, err)
	}
	rec.Files = make([]domain.Document, 0, len(rs))
	for _, r := range rs {
		rec.Files = append(rec.Files, r.document())
	}
	return nil
}

// NewDocument is an upload whose type the caller has sniffed
// (domain.SniffDocument) and whose name it has cleaned.
type NewDocument struct {
	Kind        string
	FileName    string
	ContentType string
	Content     []byte
}

// AddDocument stores a file of application id with its SHA-256 and an audit
// row. check runs first on the application, locked FOR UPDATE, so a
// submission or a state change cannot pass between the check and the
// insert. The application's version does not change: a file is added
// beside the aggregate, and an upload must not make the applicant's open
// form stale.
func (s *Store) AddDocument(ctx context.Context, m Meta, id string, d NewDocument, check func(Record) error) (domain.Document, error) {
	docID, err := uuid.NewV7()
	if err != nil {
		return domain.Document{}, fmt.Errorf("document id: %w", err)
	}
	sum := sha256.Sum256(d.Content)
	var out domain.Document
	err = pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		rec, err := s.application(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := check(rec); err != nil {
			return err
		}
		out = domain.Document{ID: docID.String(), ApplicationID: rec.App.ID, Kind: d.Kind, FileName: d.FileName, ContentType: d.ContentType,
			Size: int64(len(d.Content)), SHA256: sum[:], UploadedBy: m.Actor, UploadedAt: s.Clock.Now().UTC()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_documents (id, application_id, kind, file_name, content_type, size_bytes,
			sha256, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			out.ID, out.ApplicationID, out.Kind, out.FileName, out.ContentType, out.Size, out.SHA256, d.Content, out.UploadedBy, out.UploadedAt); err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		return s.audit(ctx, tx, m, "grants.document.upload", "application_document", out.ID, nil, map[string]any{
			"application_id": out.ApplicationID, "number": rec.App.Number, "kind": out.Kind, "size_bytes": out.Size,
			"content_type": out.ContentType, "sha256": fmt.Sprintf("%x", sum)})
	})
	return out, err
}

// ReadDocument returns one document of application appID with its content
// and audits the read: the papers of an application are personal data.
func (s *Store) ReadDocument(ctx context.Context, m Meta, appID, docID string) (domain.Document, []byte, error) {
	if !ValidID(appID) || !ValidID(docID) {
		return domain.Document{}, nil, ErrNotFound
	}
	if _, err := uuid.Parse(docID); err != nil {
		return domain.Document{}, nil, ErrNotFound
	}
	var (
		doc     domain.Document
		content []byte
	)
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var row struct {
			documentRow
			Content []byte `db:"content"`
		}
		if err := tx.GetContext(ctx, &row, `SELECT `+documentCols+`, content FROM application_documents
			WHERE id = $1 AND application_id = $2`, docID, appID); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return fmt.Errorf("read document %s: %w", docID, err)
		}
		doc, content = row.document(), row.Content
		return s.audit(ctx, tx, m, "grants.document.read", "application_document", docID, nil, map[string]any{"application_id": appID})
	})
	return doc, content, err
}
