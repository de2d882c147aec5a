package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

type matterRow struct {
	ID            string     `db:"id"`
	RecordID      string     `db:"record_id"`
	PersonID      string     `db:"person_id"`
	Kind          string     `db:"kind"`
	Topic         string     `db:"topic"`
	Summary       string     `db:"summary"`
	HandlerUserID string     `db:"handler_user_id"`
	HandlerName   string     `db:"handler_name"`
	DueOn         *time.Time `db:"due_on"`
	State         string     `db:"state"`
	Outcome       string     `db:"outcome"`
	ApplicationID *string    `db:"application_id"`
	RaisedBy      string     `db:"raised_by"`
	Version       int64      `db:"version"`
	CreatedAt     time.Time  `db:"created_at"`
	ResolvedAt    *time.Time `db:"resolved_at"`
}

const matterCols = `id::text AS id, record_id::text AS record_id, person_id, kind, topic, summary, handler_user_id, handler_name, due_on,
	state, outcome, application_id::text AS application_id, raised_by, version, created_at, resolved_at`

func (r matterRow) domain() domain.Matter {
	m := domain.Matter{ID: r.ID, RecordID: r.RecordID, PersonID: r.PersonID, Kind: domain.MatterKind(r.Kind), Topic: r.Topic, Summary: r.Summary,
		HandlerUserID: r.HandlerUserID, HandlerName: r.HandlerName, State: domain.MatterState(r.State), Outcome: r.Outcome,
		RaisedBy: r.RaisedBy, Version: r.Version, CreatedAt: r.CreatedAt.UTC()}
	if r.DueOn != nil {
		m.DueOn = r.DueOn.UTC()
	}
	if r.ApplicationID != nil {
		m.ApplicationID = *r.ApplicationID
	}
	if r.ResolvedAt != nil {
		m.ResolvedAt = r.ResolvedAt.UTC()
	}
	return m
}

type stepRow struct {
	MatterID  string    `db:"matter_id"`
	Kind      string    `db:"kind"`
	Actor     string    `db:"actor"`
	ActorName string    `db:"actor_name"`
	Text      string    `db:"text"`
	At        time.Time `db:"at"`
}

func (s *Store) loadSteps(ctx context.Context, q sqlx.QueryerContext, ms []domain.Matter) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]string, len(ms))
	at := map[string]int{}
	for i, m := range ms {
		ids[i], at[m.ID] = m.ID, i
	}
	var rs []stepRow
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT matter_id::text AS matter_id, kind, actor, actor_name, text, at FROM care_matter_steps
		WHERE matter_id = ANY($1::uuid[]) ORDER BY matter_id, seq`, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("matter steps: %w", err)
	}
	for _, r := range rs {
		i := at[r.MatterID]
		ms[i].Timeline = append(ms[i].Timeline, domain.MatterStep{Kind: domain.MatterStepKind(r.Kind), Actor: r.Actor, ActorName: r.ActorName,
			Text: r.Text, At: r.At.UTC()})
	}
	return nil
}

// Matters returns the matters of records, newest first, with timelines.
func (s *Store) Matters(ctx context.Context, recordIDs ...string) ([]domain.Matter, error) {
	var rs []matterRow
	if err := s.DB.SelectContext(ctx, &rs, `SELECT `+matterCols+` FROM care_matters WHERE record_id = ANY($1::uuid[])
		ORDER BY created_at DESC, id DESC`, pq.StringArray(recordIDs)); err != nil {
		return nil, fmt.Errorf("matters: %w", err)
	}
	out := make([]domain.Matter, len(rs))
	for i, r := range rs {
		out[i] = r.domain()
	}
	return out, s.loadSteps(ctx, s.DB, out)
}

// Matter returns one matter with its timeline.
func (s *Store) Matter(ctx context.Context, id string) (domain.Matter, error) {
	return s.matter(ctx, s.DB, id, false)
}

func (s *Store) matter(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.Matter, error) {
	if !ValidID(id) {
		return domain.Matter{}, ErrNotFound
	}
	query := `SELECT ` + matterCols + ` FROM care_matters WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var r matterRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if isNoRows(err) {
			return domain.Matter{}, ErrNotFound
		}
		return domain.Matter{}, fmt.Errorf("matter %s: %w", id, err)
	}
	ms := []domain.Matter{r.domain()}
	return ms[0], s.loadSteps(ctx, q, ms)
}

func matterAudit(m domain.Matter) map[string]any {
	return map[string]any{"record_id": m.RecordID, "kind": m.Kind, "topic": m.Topic, "state": m.State, "handler": m.HandlerUserID,
		"application_id": m.ApplicationID, "version": m.Version}
}

// CreateMatter stores a new matter of record recordID: decide runs on the
// record (locked) and returns the matter.
func (s *Store) CreateMatter(ctx context.Context, m Meta, recordID string, decide func(domain.CareRecord) (domain.Matter, error)) (domain.Matter, error) {
	var out domain.Matter
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		rec, err := s.careRecord(ctx, tx, recordID, true)
		if err != nil {
			return err
		}
		mt, err := decide(rec)
		if err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("matter id: %w", err)
		}
		mt.ID = id.String()
		var due *time.Time
		if !mt.DueOn.IsZero() {
			due = &mt.DueOn
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_matters (id, record_id, person_id, kind, topic, summary, handler_user_id, handler_name,
			due_on, state, raised_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			mt.ID, mt.RecordID, mt.PersonID, string(mt.Kind), mt.Topic, mt.Summary, mt.HandlerUserID, mt.HandlerName, due, string(mt.State),
			mt.RaisedBy, mt.Version, mt.CreatedAt); err != nil {
			return fmt.Errorf("insert matter: %w", err)
		}
		if err := insertSteps(ctx, tx, mt.ID, 0, mt.Timeline); err != nil {
			return err
		}
		out = mt
		return s.audit(ctx, tx, m, "grants.care.matter.raise", "care_matter", mt.ID, nil, matterAudit(mt))
	})
	return out, err
}

func insertSteps(ctx context.Context, tx *sqlx.Tx, matterID string, from int, steps []domain.MatterStep) error {
	for i := from; i < len(steps); i++ {
		st := steps[i]
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_matter_steps (matter_id, seq, kind, actor, actor_name, text, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, matterID, i+1, string(st.Kind), st.Actor, st.ActorName, st.Text, st.At); err != nil {
			return fmt.Errorf("insert matter step: %w", err)
		}
	}
	return nil
}

// UpdateMatter changes a matter under If-Match version (0: any): fn
// decides on the locked matter and its record (and may write events in
// tx); the new timeline entries and the state are saved with an audit row.
func (s *Store) UpdateMatter(ctx context.Context, m Meta, action, id string, version int64,
	fn func(tx *sqlx.Tx, rec domain.CareRecord, mt *domain.Matter) error) (domain.Matter, error) {
	var out domain.Matter
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		mt, err := s.matter(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if version > 0 && mt.Version != version {
			return ErrVersionMismatch
		}
		rec, err := s.careRecord(ctx, tx, mt.RecordID, false)
		if err != nil {
			return err
		}
		before, steps := matterAudit(mt), len(mt.Timeline)
		mt.Version++
		if err := fn(tx, rec, &mt); err != nil {
			return err
		}
		var due, resolved *time.Time
		if !mt.DueOn.IsZero() {
			due = &mt.DueOn
		}
		if !mt.ResolvedAt.IsZero() {
			resolved = &mt.ResolvedAt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_matters SET handler_user_id = $2, handler_name = $3, due_on = $4, state = $5, outcome = $6,
			application_id = NULLIF($7, '')::uuid, version = $8, updated_at = $9, resolved_at = $10 WHERE id = $1`,
			mt.ID, mt.HandlerUserID, mt.HandlerName, due, string(mt.State), mt.Outcome, mt.ApplicationID, mt.Version, s.Clock.Now(), resolved); err != nil {
			return fmt.Errorf("update matter: %w", err)
		}
		if err := insertSteps(ctx, tx, mt.ID, steps, mt.Timeline); err != nil {
			return err
		}
		out = mt
		return s.audit(ctx, tx, m, action, "care_matter", mt.ID, before, matterAudit(mt))
	})
	return out, err
}
