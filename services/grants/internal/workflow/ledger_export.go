package workflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/export"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// ExportLabels are the localized texts of an export file.
type ExportLabels struct {
	Headings [export.Columns]string
	Totals   string
	Sheet    string
}

// progressEvery is how many rows pass between progress updates: often
// enough for a progress bar, rare enough to cost nothing.
const progressEvery = 20000

// WriteLedger streams the lines selected by f to w in format, followed by
// the control totals row, and returns the rows written and the totals.
// progress, if not nil, is called every progressEvery rows.
func (s *Service) WriteLedger(ctx context.Context, w io.Writer, format export.Format, f store.ExportFilter, en bool, labels ExportLabels, progress func(done int64) error) (rows int64, debit, credit money.Fen, err error) {
	out, err := export.New(format, w, labels.Sheet)
	if err != nil {
		return 0, 0, 0, err
	}
	if err := out.Header(labels.Headings); err != nil {
		return 0, 0, 0, err
	}
	err = s.Store.StreamLines(ctx, f, en, func(r export.Row) error {
		rows++
		debit += r.Debit
		credit += r.Credit
		if err := out.Row(r); err != nil {
			return err
		}
		if progress != nil && rows%progressEvery == 0 {
			return progress(rows)
		}
		return nil
	})
	if err != nil {
		_ = out.Close()
		return rows, debit, credit, err
	}
	if err := out.Totals(labels.Totals, debit, credit); err != nil {
		return rows, debit, credit, err
	}
	return rows, debit, credit, out.Close()
}

// RunExportJob writes a claimed job's file into the database chunk by
// chunk, recording progress, and marks it done or failed.
func (s *Service) RunExportJob(ctx context.Context, job store.ExportJob, labels ExportLabels) error {
	total, err := s.Store.CountLines(ctx, job.Filter)
	if err != nil {
		return s.failExport(ctx, job.ID, err)
	}
	if err := s.Store.ExportProgress(ctx, job.ID, 0, total); err != nil {
		return err
	}
	cw := s.Store.NewChunkWriter(ctx, job.ID)
	rows, _, _, err := s.WriteLedger(ctx, cw, export.Format(job.Format), job.Filter, job.Lang == "en", labels, func(done int64) error {
		return s.Store.ExportProgress(ctx, job.ID, done, max(total, done))
	})
	if err == nil {
		err = cw.Close()
	}
	if err != nil {
		return s.failExport(ctx, job.ID, err)
	}
	return s.Store.FinishExport(ctx, job.ID, rows, cw.Total, "")
}

func (s *Service) failExport(ctx context.Context, id string, cause error) error {
	if errors.Is(cause, context.Canceled) {
		ctx = context.WithoutCancel(ctx)
	}
	if err := s.Store.FinishExport(ctx, id, 0, 0, "grants.export_failed"); err != nil {
		return errors.Join(cause, err)
	}
	return fmt.Errorf("export %s: %w", id, cause)
}

// ExportWorker runs queued export jobs until ctx ends, polling every
// interval. A failed job is recorded as failed; the worker goes on.
func (s *Service) ExportWorker(labels func(lang string) ExportLabels, interval time.Duration, logf func(msg string, args ...any)) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			for {
				job, ok, err := s.Store.ClaimExportJob(ctx)
				if err != nil || !ok {
					if err != nil && ctx.Err() == nil {
						logf("claim export job", "err", err)
					}
					break
				}
				if err := s.RunExportJob(ctx, job, labels(job.Lang)); err != nil {
					logf("export job failed", "job", job.ID, "err", err)
				}
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}
