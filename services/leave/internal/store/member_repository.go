package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

type memberRow struct {
	MemberID      string       `db:"member_id"`
	UnitID        string       `db:"unit_id"`
	Name          string       `db:"name"`
	Category      string       `db:"category"`
	Status        string       `db:"status"`
	WorkStart     sql.NullTime `db:"work_start"`
	JoinedOn      sql.NullTime `db:"joined_on"`
	LeftOn        sql.NullTime `db:"left_on"`
	Frontline     bool         `db:"frontline"`
	InjuredOnDuty bool         `db:"injured_on_duty"`
	MartyrFamily  bool         `db:"martyr_family"`
	Version       int64        `db:"version"`
}

const memberColumns = `member_id, unit_id, name, category, status, work_start, joined_on, left_on, frontline, injured_on_duty, martyr_family, version`

func (r memberRow) domain() domain.Member {
	return domain.Member{
		ID: r.MemberID, UnitID: r.UnitID, Name: r.Name, Category: domain.Category(r.Category), Status: domain.MemberStatus(r.Status),
		WorkStart: fromNullDate(r.WorkStart), JoinedOn: fromNullDate(r.JoinedOn), LeftOn: fromNullDate(r.LeftOn),
		Frontline: r.Frontline, InjuredOnDuty: r.InjuredOnDuty, MartyrFamily: r.MartyrFamily,
	}
}

// MemberRecord is a member with its row version, for If-Match updates.
type MemberRecord struct {
	domain.Member
	Version int64
}

// Member returns the projected member.
func (s *Store) Member(ctx context.Context, id string) (MemberRecord, error) {
	return s.member(ctx, s.db, id, false)
}

func (s *Store) member(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (MemberRecord, error) {
	return ReadMember(ctx, q, id, lock)
}

// ReadMember reads the projected member id in q, a transaction of this
// store or of another store of the service's schema (carestore), locking
// its row when lock is set; a member not projected is ErrNotFound.
func ReadMember(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (MemberRecord, error) {
	query := `SELECT ` + memberColumns + ` FROM members WHERE member_id = $1`
	if lock {
		// Locking the member row serializes everything that moves the
		// member's balance (requests, approvals, adjustments, rollover), so
		// each decision is taken on fresh state.
		query += ` FOR UPDATE`
	}
	var r memberRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return MemberRecord{}, ErrNotFound
		}
		return MemberRecord{}, fmt.Errorf("member %s: %w", id, err)
	}
	return MemberRecord{Member: r.domain(), Version: r.Version}, nil
}

// UpsertMember applies the registry's view of a member (from a member.*
// event) inside the consumer's transaction; the name is replaced by every
// event, so lists show the latest one. The leave service's own flags
// (injured on duty, martyr family) are kept. When the member has left, the
// current year's entitlement is recomputed (auxiliary police leavers are
// pro-rated, enterprise measures art. 12).
func (s *Store) UpsertMember(ctx context.Context, tx *sqlx.Tx, m domain.Member) error {
	before, err := s.member(ctx, tx, m.ID, true)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO members (member_id, unit_id, category, status, work_start, joined_on, left_on, frontline, updated_at, name)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (member_id) DO UPDATE SET unit_id = EXCLUDED.unit_id, category = EXCLUDED.category, status = EXCLUDED.status,
	work_start = EXCLUDED.work_start, joined_on = EXCLUDED.joined_on, left_on = EXCLUDED.left_on,
	frontline = EXCLUDED.frontline, updated_at = EXCLUDED.updated_at, name = EXCLUDED.name, version = members.version + 1`,
		m.ID, m.UnitID, string(m.Category), string(m.Status), nullDateArg(m.WorkStart), nullDateArg(m.JoinedOn), nullDateArg(m.LeftOn), m.Frontline, s.clk.Now(), m.Name)
	if err != nil {
		return fmt.Errorf("upsert member %s: %w", m.ID, err)
	}
	if before.ID != "" && before.LeftOn.Equal(m.LeftOn) && before.JoinedOn.Equal(m.JoinedOn) &&
		before.WorkStart.Equal(m.WorkStart) && before.Category == m.Category && before.Status == m.Status {
		return nil
	}
	// A new member accrues this year's entitlement now; a changed one gets
	// a correction to the recomputed entitlement.
	return s.correctEntitlement(ctx, tx, m, s.today().Year(), "leave.reason.member_changed", "system:leave")
}

// SetInjuredOnDuty marks a member injured on duty (from a determined work
// injury), which raises recuperation priority.
func (s *Store) SetInjuredOnDuty(ctx context.Context, tx *sqlx.Tx, memberID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE members SET injured_on_duty = true, version = version + 1, updated_at = $2
WHERE member_id = $1 AND NOT injured_on_duty`, memberID, s.clk.Now())
	if err != nil {
		return fmt.Errorf("mark %s injured on duty: %w", memberID, err)
	}
	return nil
}

// PriorityFlags are the recuperation priority flags the leave service owns.
type PriorityFlags struct {
	MartyrFamily  bool
	InjuredOnDuty bool
}

// SetPriorityFlags records a caseworker's change of a member's flags.
func (s *Store) SetPriorityFlags(ctx context.Context, memberID string, version int64, f PriorityFlags, actor string) (MemberRecord, error) {
	var out MemberRecord
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.member(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return ErrVersionMismatch
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET martyr_family = $2, injured_on_duty = $3, version = version + 1, updated_at = $4 WHERE member_id = $1`,
			memberID, f.MartyrFamily, f.InjuredOnDuty, s.clk.Now()); err != nil {
			return fmt.Errorf("set flags of %s: %w", memberID, err)
		}
		if out, err = s.member(ctx, tx, memberID, false); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "leave.member.set_priority_flags", "member", memberID,
			PriorityFlags{MartyrFamily: before.MartyrFamily, InjuredOnDuty: before.InjuredOnDuty}, f)
	})
	return out, err
}

// membersOf lists the members of units (all units when units is nil).
func (s *Store) membersOf(ctx context.Context, q sqlx.QueryerContext, units []string) ([]domain.Member, error) {
	return ReadMembers(ctx, q, units)
}

// ReadMembers lists the projected members of units (all units when units
// is nil) in q, by member id.
func ReadMembers(ctx context.Context, q sqlx.QueryerContext, units []string) ([]domain.Member, error) {
	query := `SELECT ` + memberColumns + ` FROM members`
	var args []any
	if units != nil {
		query += ` WHERE unit_id = ANY($1)`
		args = append(args, pq.Array(units))
	}
	query += ` ORDER BY member_id`
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	out := make([]domain.Member, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
