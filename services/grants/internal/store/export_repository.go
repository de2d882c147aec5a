package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// ExportJob is a ledger export finance asked for, with its progress.
type ExportJob struct {
	ID          string       `db:"id"`
	RequestedBy string       `db:"requested_by"`
	Format      string       `db:"format"`
	FilterJSON  []byte       `db:"filter"`
	Filter      ExportFilter `db:"-"`
	Lang        string       `db:"lang"`
	State       string       `db:"state"`
	RowsDone    int64        `db:"rows_done"`
	RowsTotal   int64        `db:"rows_total"`
	Bytes       int64        `db:"bytes"`
	ErrorCode   string       `db:"error_code"`
	Version     int64        `db:"version"`
	CreatedAt   time.Time    `db:"created_at"`
	StartedAt   *time.Time   `db:"started_at"`
	FinishedAt  *time.Time   `db:"finished_at"`
}

const exportCols = `id::text AS id, requested_by, format, filter, lang, state, rows_done, rows_total, bytes, error_code, version,
	created_at, started_at, finished_at`

// CreateExportJob queues an export.
func (s *Store) CreateExportJob(ctx context.Context, m Meta, format, lang string, f ExportFilter) (ExportJob, error) {
	var j ExportJob
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		fj, _ := json.Marshal(f)
		if err := tx.GetContext(ctx, &j, `INSERT INTO export_jobs (requested_by, format, filter, lang, created_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING `+exportCols, m.Actor, format, fj, lang, s.Clock.Now()); err != nil {
			return fmt.Errorf("create export job: %w", err)
		}
		j.Filter = f
		return s.audit(ctx, tx, m, "grants.export.request", "export", j.ID, nil, exportAudit{ExportFilter: f, Format: format, PayeeNames: "full"})
	})
	return j, err
}

// exportAudit is what the audit log keeps of an export: what it covers,
// and that it shows payees' names in full.
type exportAudit struct {
	ExportFilter
	Format     string `json:"format"`
	PayeeNames string `json:"payee_names"`
}

// AuditExportDownload records that m's actor downloaded job's file, which
// holds payees' names in full.
func (s *Store) AuditExportDownload(ctx context.Context, m Meta, j ExportJob) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		return s.audit(ctx, tx, m, "grants.export.download", "export", j.ID, nil,
			exportAudit{ExportFilter: j.Filter, Format: j.Format, PayeeNames: "full"})
	})
}

// AuditPayeeView records that m's actor (finance) read application id
// with the payee's name in full.
func (s *Store) AuditPayeeView(ctx context.Context, m Meta, id, number string) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		return s.audit(ctx, tx, m, "grants.application.view_payee", "application", id, nil, map[string]string{"number": number})
	})
}

// ExportJobByID returns a job.
func (s *Store) ExportJobByID(ctx context.Context, id string) (ExportJob, error) {
	if !ValidID(id) {
		return ExportJob{}, ErrNotFound
	}
	var j ExportJob
	if err := s.DB.GetContext(ctx, &j, `SELECT `+exportCols+` FROM export_jobs WHERE id = $1`, id); err != nil {
		if isNoRows(err) {
			return j, ErrNotFound
		}
		return j, fmt.Errorf("export job %s: %w", id, err)
	}
	return j, json.Unmarshal(j.FilterJSON, &j.Filter)
}

// ClaimExportJob takes the oldest queued job (SKIP LOCKED, so replicas
// share the queue) and marks it running; ok is false when none is queued.
func (s *Store) ClaimExportJob(ctx context.Context) (ExportJob, bool, error) {
	var j ExportJob
	err := s.DB.GetContext(ctx, &j, `UPDATE export_jobs SET state = 'running', started_at = $1, version = version + 1
		WHERE id = (SELECT id FROM export_jobs WHERE state = 'queued' ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
		RETURNING `+exportCols, s.Clock.Now())
	if isNoRows(err) {
		return j, false, nil
	}
	if err != nil {
		return j, false, fmt.Errorf("claim export job: %w", err)
	}
	return j, true, json.Unmarshal(j.FilterJSON, &j.Filter)
}

// ExportProgress records rows done of total.
func (s *Store) ExportProgress(ctx context.Context, id string, done, total int64) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE export_jobs SET rows_done = $2, rows_total = $3 WHERE id = $1`, id, done, total)
	return err
}

// FinishExport marks the job done or failed (errorCode non-empty).
func (s *Store) FinishExport(ctx context.Context, id string, done, bytes int64, errorCode string) error {
	state := "done"
	if errorCode != "" {
		state = "failed"
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE export_jobs SET state = $2, rows_done = $3, bytes = $4, error_code = $5, finished_at = $6,
		version = version + 1 WHERE id = $1`, id, state, done, bytes, errorCode, s.Clock.Now())
	return err
}

// ChunkWriter stores an export's bytes as numbered chunks of ChunkSize,
// so the file lives in the database (any replica can serve it) and is
// written without holding it in memory.
type ChunkWriter struct {
	s     *Store
	ctx   context.Context
	job   string
	seq   int
	buf   []byte
	Total int64
}

// ChunkSize is the size of one stored chunk.
const ChunkSize = 1 << 20

// NewChunkWriter writes the chunks of job.
func (s *Store) NewChunkWriter(ctx context.Context, job string) *ChunkWriter {
	return &ChunkWriter{s: s, ctx: ctx, job: job, buf: make([]byte, 0, ChunkSize)}
}

// Write buffers p and stores every full chunk.
func (w *ChunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(ChunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == ChunkSize {
			if err := w.flush(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

func (w *ChunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.s.DB.ExecContext(w.ctx, `INSERT INTO export_chunks (job_id, seq, data) VALUES ($1, $2, $3)`, w.job, w.seq, w.buf); err != nil {
		return fmt.Errorf("store export chunk: %w", err)
	}
	w.Total += int64(len(w.buf))
	w.seq++
	w.buf = w.buf[:0]
	return nil
}

// Close stores the last partial chunk.
func (w *ChunkWriter) Close() error { return w.flush() }

// CopyExport writes the stored file of a job to w, chunk by chunk.
func (s *Store) CopyExport(ctx context.Context, id string, w io.Writer) error {
	for seq := 0; ; seq++ {
		var data []byte
		err := s.DB.GetContext(ctx, &data, `SELECT data FROM export_chunks WHERE job_id = $1 AND seq = $2`, id, seq)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read export chunk: %w", err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
}
