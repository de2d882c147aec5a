package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Document is a stored file's metadata.
type Document struct {
	ID          string    `db:"id" json:"id"`
	CaseID      string    `db:"case_id" json:"case_id"`
	Kind        string    `db:"kind" json:"kind"`
	FileName    string    `db:"file_name" json:"file_name"`
	ContentType string    `db:"content_type" json:"content_type"`
	Size        int64     `db:"size_bytes" json:"size_bytes"`
	SHA256      []byte    `db:"sha256" json:"-"`
	UploadedBy  string    `db:"uploaded_by" json:"uploaded_by"`
	UploadedAt  time.Time `db:"uploaded_at" json:"uploaded_at"`
}

// NewDocument is an upload whose type the caller has sniffed
// (domain.SniffDocument).
type NewDocument struct {
	Kind        domain.DocumentKind
	FileName    string
	ContentType string
	Content     []byte
}

// AddDocument stores a file with its SHA-256 and records it on the
// timeline. check runs on the locked case first.
func (s *Store) AddDocument(ctx context.Context, m Meta, caseID string, d NewDocument, check func(*domain.Case) error) (Document, error) {
	sum := sha256.Sum256(d.Content)
	id, err := uuid.NewV7()
	if err != nil {
		return Document{}, fmt.Errorf("document id: %w", err)
	}
	var out Document
	err = pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := check(c); err != nil {
			return err
		}
		now := s.clk.Now().UTC()
		out = Document{ID: id.String(), CaseID: caseID, Kind: string(d.Kind), FileName: d.FileName,
			ContentType: d.ContentType, Size: int64(len(d.Content)), SHA256: sum[:], UploadedBy: m.actorID(), UploadedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents (id, case_id, kind, file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, out.ID, caseID, out.Kind, out.FileName, out.ContentType,
			out.Size, out.SHA256, d.Content, out.UploadedBy, now); err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		if err := addTimeline(ctx, tx, caseID, now, m, timelineEntry{Kind: "document",
			Data: map[string]any{"document_id": out.ID, "kind": out.Kind, "file_name": out.FileName, "size_bytes": out.Size}}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.document.upload",
			ObjectType: "document", ObjectID: out.ID, After: map[string]any{"case_id": caseID, "kind": out.Kind,
				"sha256": fmt.Sprintf("%x", sum), "size_bytes": out.Size}, RequestID: m.RequestID})
	})
	return out, err
}

// Documents lists a case's documents without their content.
func (s *Store) Documents(ctx context.Context, caseID string) ([]Document, error) {
	var out []Document
	if err := s.db.SelectContext(ctx, &out, `SELECT id, case_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at
		FROM documents WHERE case_id = $1 ORDER BY uploaded_at, id`, caseID); err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return out, nil
}

// ReadDocument returns a document with its content and audits the read:
// medical papers are sensitive personal data.
// check runs on the document's metadata before the content is read or the
// read audited.
func (s *Store) ReadDocument(ctx context.Context, m Meta, caseID, docID string, check func(Document) error) (Document, []byte, error) {
	if _, err := uuid.Parse(docID); err != nil {
		return Document{}, nil, ErrNotFound
	}
	var (
		doc     Document
		content []byte
	)
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		row := struct {
			Document
			Content []byte `db:"content"`
		}{}
		err := tx.GetContext(ctx, &row, `SELECT id, case_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at, content
			FROM documents WHERE id = $1 AND case_id = $2`, docID, caseID)
		if err != nil {
			return notFound(err, "read document")
		}
		if err := check(row.Document); err != nil {
			return err
		}
		doc, content = row.Document, row.Content
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.document.read",
			ObjectType: "document", ObjectID: docID, RequestID: m.RequestID})
	})
	return doc, content, err
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("%s: %w", what, err)
}
