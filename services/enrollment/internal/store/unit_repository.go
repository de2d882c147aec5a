package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

type unitRow struct {
	ID       string         `db:"id"`
	Code     string         `db:"code"`
	ParentID sql.NullString `db:"parent_id"`
	Name     string         `db:"name"`
	Kind     string         `db:"kind"`
	Version  int64          `db:"version"`
}

func (r unitRow) toDomain() domain.Unit {
	return domain.Unit{ID: r.ID, Code: r.Code, ParentID: r.ParentID.String, Name: r.Name, Kind: domain.UnitKind(r.Kind), Version: r.Version}
}

// ListUnits returns every unit, parents before children. The tree is not
// personal data: every signed-in user may read it.
func (s *Store) ListUnits(ctx context.Context) ([]domain.Unit, error) {
	return s.listUnits(ctx, s.db)
}

func (s *Store) listUnits(ctx context.Context, q sqlx.QueryerContext) ([]domain.Unit, error) {
	var rows []unitRow
	if err := sqlx.SelectContext(ctx, q, &rows,
		`SELECT id, code, parent_id, name, kind, version FROM units ORDER BY cardinality(path), code`); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	out := make([]domain.Unit, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// GetUnit returns one unit.
func (s *Store) GetUnit(ctx context.Context, id string) (domain.Unit, error) {
	if !validUUID(id) {
		return domain.Unit{}, ErrNotFound
	}
	var r unitRow
	err := sqlx.GetContext(ctx, s.db, &r, `SELECT id, code, parent_id, name, kind, version FROM units WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Unit{}, ErrNotFound
	}
	if err != nil {
		return domain.Unit{}, fmt.Errorf("load unit %s: %w", id, err)
	}
	return r.toDomain(), nil
}

// UnitTree loads the whole tree.
func (s *Store) UnitTree(ctx context.Context) (*domain.UnitTree, error) {
	units, err := s.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	return domain.NewUnitTree(units)
}

// CreateUnit adds unit u (domain.NewUnit) below its parent (a root when
// ParentID is ""), with its audit row. A parent that does not exist is
// ErrParentNotFound.
func (s *Store) CreateUnit(ctx context.Context, u domain.Unit, meta Meta) (domain.Unit, error) {
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		path := []string{u.ID}
		if u.ParentID != "" {
			var parent pq.StringArray
			if !validUUID(u.ParentID) {
				return ErrParentNotFound
			}
			err := sqlx.GetContext(ctx, tx, &parent, `SELECT path FROM units WHERE id = $1`, u.ParentID)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrParentNotFound
			}
			if err != nil {
				return fmt.Errorf("load parent unit: %w", err)
			}
			path = append([]string(parent), u.ID)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (id, code, parent_id, path, name, kind, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, u.ID, u.Code, nullString(u.ParentID), pq.Array(path), u.Name, string(u.Kind), now); err != nil {
			if pg.IsUniqueViolation(err) {
				return ErrDuplicateUnit
			}
			return fmt.Errorf("insert unit: %w", err)
		}
		return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "unit.create", ObjectType: "unit",
			ObjectID: u.ID, After: u, RequestID: meta.RequestID})
	})
	return u, err
}

// UpdateUnit saves unit id as decide makes it from the unit as it is
// (locked, at version ifVersion when that is > 0, else
// ErrVersionMismatch) and the tree of every unit: renamed, recoded or
// moved. Moving it re-roots the paths of its whole subtree in the same
// transaction, so the caseworkers' scopes follow at once.
func (s *Store) UpdateUnit(ctx context.Context, id string, ifVersion int64, meta Meta,
	decide func(before domain.Unit, tree *domain.UnitTree) (domain.Unit, error)) (domain.Unit, error) {
	var out domain.Unit
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if !validUUID(id) {
			return ErrNotFound
		}
		var r unitRow
		err := sqlx.GetContext(ctx, tx, &r, `SELECT id, code, parent_id, name, kind, version FROM units WHERE id = $1 FOR UPDATE`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("load unit %s: %w", id, err)
		}
		before := r.toDomain()
		if ifVersion > 0 && before.Version != ifVersion {
			return ErrVersionMismatch
		}
		units, err := s.listUnits(ctx, tx)
		if err != nil {
			return err
		}
		tree, err := domain.NewUnitTree(units)
		if err != nil {
			return err
		}
		u, err := decide(before, tree)
		if err != nil {
			return err
		}
		u.ID, u.Version = id, before.Version+1
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE units SET code = $2, parent_id = $3, name = $4, kind = $5, version = $6,
			updated_at = $7 WHERE id = $1`, id, u.Code, nullString(u.ParentID), u.Name, string(u.Kind), u.Version, now); err != nil {
			if pg.IsUniqueViolation(err) {
				return ErrDuplicateUnit
			}
			return fmt.Errorf("update unit %s: %w", id, err)
		}
		if u.ParentID != before.ParentID {
			newPrefix := []string{}
			if u.ParentID != "" {
				newPrefix = tree.Path(u.ParentID)
			}
			// Every path through id: replace the part up to id with the
			// new ancestry.
			if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $2::uuid[] || path[array_position(path, $1::uuid):]
				WHERE path && ARRAY[$1::uuid]`, id, pq.Array(newPrefix)); err != nil {
				return fmt.Errorf("move unit %s: %w", id, err)
			}
		}
		out = u
		return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "unit.update", ObjectType: "unit",
			ObjectID: id, Before: before, After: u, RequestID: meta.RequestID})
	})
	return out, err
}
