package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// NewID returns a fresh id for a new member, dependant or enrollment.
func NewID() string { return newID() }

// scopeSQL returns the condition limiting members (alias m) to scope, with
// its arguments numbered from next.
func scopeSQL(scope Scope, next int) (string, []any) {
	if scope.All {
		return "TRUE", nil
	}
	var parts []string
	var args []any
	if len(scope.Units) > 0 {
		parts = append(parts, "m.unit_id IN (SELECT id FROM units WHERE path && $"+strconv.Itoa(next)+"::uuid[])")
		args = append(args, pq.Array(scope.Units))
		next++
	}
	if scope.MemberID != "" && validUUID(scope.MemberID) {
		// Compared as uuid, not m.id::text, so the primary key serves it.
		parts = append(parts, "m.id = $"+strconv.Itoa(next)+"::uuid")
		args = append(args, scope.MemberID)
	}
	if len(parts) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// validUUID keeps malformed ids from reaching PostgreSQL as a type error:
// they simply do not exist.
func validUUID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, r := range id {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

// getMember loads one member in scope; forUpdate locks the row.
func (s *Store) getMember(ctx context.Context, q sqlx.QueryerContext, id string, scope Scope, reveal, forUpdate bool) (*domain.Member, error) {
	if !validUUID(id) {
		return nil, ErrNotFound
	}
	cond, args := scopeSQL(scope, 2)
	query := `SELECT ` + memberColumns + ` FROM members m WHERE m.id = $1 AND ` + cond
	if forUpdate {
		query += ` FOR UPDATE OF m`
	}
	var row memberRow
	if err := sqlx.GetContext(ctx, q, &row, query, append([]any{id}, args...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load member %s: %w", id, err)
	}
	m, err := s.toDomain(row, reveal)
	if err != nil {
		return nil, err
	}
	if err := s.loadChildren(ctx, q, map[string]*domain.Member{m.ID: m}, reveal); err != nil {
		return nil, err
	}
	return m, nil
}

// GetMember returns a member in scope with identity numbers masked.
func (s *Store) GetMember(ctx context.Context, id string, scope Scope) (*domain.Member, error) {
	return s.getMember(ctx, s.db, id, scope, false, false)
}

// RevealIdentity returns a member's full identity number and writes the
// audit row of the unmasked view in the same transaction: no view goes
// unrecorded (个人信息保护法; ARCHITECTURE.md "every read of them is audited").
func (s *Store) RevealIdentity(ctx context.Context, id string, scope Scope, meta Meta) (string, error) {
	var number string
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		m, err := s.getMember(ctx, tx, id, scope, true, false)
		if err != nil {
			return err
		}
		number = m.Identity.Number
		return audit.Write(ctx, tx, s.clock, audit.Entry{
			Actor: meta.Actor, Action: "member.view_idcard", ObjectType: "member", ObjectID: id,
			After: map[string]string{"id_number": idcard.Mask(number)}, RequestID: meta.RequestID,
		})
	})
	return number, err
}

// MemberFilter narrows a member list.
type MemberFilter struct {
	UnitID string
	Status domain.Status
	// Name matches a prefix of the name.
	Name string
	// IDNumber finds the member with this identity number (blind index).
	IDNumber string
}

// MemberPage is one page of a member list, in (name, id) order: After is
// the name and id of the last member of the previous page ("" for the
// first), Limit the page's size plus one (page.Request.Fetch).
type MemberPage struct {
	AfterName, AfterID string
	Limit              int
}

// memberWhere is the condition of a member list in scope, with its
// arguments.
func (s *Store) memberWhere(scope Scope, f MemberFilter) (string, []any, bool) {
	cond, args := scopeSQL(scope, 1)
	where := []string{cond}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.UnitID != "" {
		if !validUUID(f.UnitID) {
			return "", nil, false
		}
		where = append(where, "m.unit_id = "+arg(f.UnitID))
	}
	if f.Status != "" {
		where = append(where, "m.status = "+arg(string(f.Status)))
	}
	if f.Name != "" {
		where = append(where, "m.name LIKE "+arg(escapeLike(f.Name)+"%"))
	}
	if f.IDNumber != "" {
		where = append(where, "m.id_number_index = "+arg(s.sealer.Index(f.IDNumber)))
	}
	return strings.Join(where, " AND "), args, true
}

// ListMembers lists a page of the members in scope that f selects, in
// name order (then id, so the order is total), masked. It reads p.Limit
// rows: the caller trims the extra one to know whether a next page exists.
func (s *Store) ListMembers(ctx context.Context, scope Scope, f MemberFilter, p MemberPage) ([]*domain.Member, error) {
	where, args, ok := s.memberWhere(scope, f)
	if !ok {
		return nil, nil
	}
	if p.AfterID != "" {
		if !validUUID(p.AfterID) {
			return nil, nil
		}
		args = append(args, p.AfterName, p.AfterID)
		where += " AND (m.name, m.id) > ($" + strconv.Itoa(len(args)-1) + ", $" + strconv.Itoa(len(args)) + "::uuid)"
	}
	if p.Limit <= 0 {
		p.Limit = 101
	}
	query := `SELECT ` + memberColumns + ` FROM members m WHERE ` + where +
		` ORDER BY m.name, m.id LIMIT ` + strconv.Itoa(p.Limit)
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	out := make([]*domain.Member, 0, len(rows))
	for _, r := range rows {
		m, err := s.toDomain(r, false)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// CountMembers counts the members in scope that f selects: the total a
// list page shows. A county's registry is a few thousand rows, and the
// filters use the unit, name and blind indexes.
func (s *Store) CountMembers(ctx context.Context, scope Scope, f MemberFilter) (int, error) {
	where, args, ok := s.memberWhere(scope, f)
	if !ok {
		return 0, nil
	}
	var n int
	if err := sqlx.GetContext(ctx, s.db, &n, `SELECT count(*) FROM members m WHERE `+where, args...); err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CreateMember registers the member decide makes (given today), once the
// caller is known to manage unitID, the unit it names (else
// ErrUnitNotManaged), with the version row, member.registered and the
// audit row in one transaction.
func (s *Store) CreateMember(ctx context.Context, unitID string, scope Scope, meta Meta, ann Announcer,
	decide func(today time.Time) (*domain.Member, error)) (*domain.Member, error) {
	var out *domain.Member
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.checkUnitInScope(ctx, tx, unitID, scope); err != nil {
			return err
		}
		m, err := decide(clock.Today(s.clock))
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.insertMember(ctx, tx, m, now); err != nil {
			return err
		}
		if err := s.recordMemberChange(ctx, tx, nil, m, domain.ChangeRegistered, now, meta, ann); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// checkUnitInScope refuses a unit that does not exist or that the caller
// does not manage (ErrUnitNotManaged).
func (s *Store) checkUnitInScope(ctx context.Context, q sqlx.QueryerContext, unitID string, scope Scope) error {
	unknown := ErrUnitNotManaged
	if strings.TrimSpace(unitID) == "" {
		return nil // the domain reports it as required
	}
	if !validUUID(unitID) {
		return unknown
	}
	var ok bool
	err := sqlx.GetContext(ctx, q, &ok, `SELECT $2::boolean OR coalesce(path && $3::uuid[], false) FROM units WHERE id = $1`,
		unitID, scope.All, pq.Array(scope.Units))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !ok) {
		return unknown
	}
	if err != nil {
		return fmt.Errorf("check unit %s: %w", unitID, err)
	}
	return nil
}

func (s *Store) insertMember(ctx context.Context, tx *sqlx.Tx, m *domain.Member, now time.Time) error {
	args, err := s.memberArgs(m)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertMemberSQL, append(args, now)...); err != nil {
		if pg.IsUniqueViolation(err) {
			return ErrDuplicateMember
		}
		return fmt.Errorf("insert member: %w", err)
	}
	return s.writeChildren(ctx, tx, m, false)
}

// recordMemberChange writes the version row, the audit row and the
// member event of a committed change (before is nil for a registration).
func (s *Store) recordMemberChange(ctx context.Context, tx *sqlx.Tx, before, after *domain.Member, change domain.ChangeKind, now time.Time, meta Meta, ann Announcer) error {
	if err := s.insertVersion(ctx, tx, after, change, now, meta.Actor); err != nil {
		return err
	}
	ev, err := ann.Member(change, after, now)
	if err != nil {
		return err
	}
	if err := bus.Outbox(ctx, tx, ev); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	entry := audit.Entry{Actor: meta.Actor, Action: "member." + string(change), ObjectType: "member", ObjectID: after.ID,
		After: ann.MemberView(after), RequestID: meta.RequestID}
	if before != nil {
		entry.Before = ann.MemberView(before)
	}
	return audit.Write(ctx, tx, s.clock, entry)
}

// insertVersion appends the member as it now is, sealed: the snapshot
// holds identity numbers.
func (s *Store) insertVersion(ctx context.Context, tx *sqlx.Tx, m *domain.Member, change domain.ChangeKind, now time.Time, actor string) error {
	snap, err := s.sealSnapshot(m)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO member_versions (member_id, version, recorded_at, actor, change, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.Version, now, actor, string(change), snap); err != nil {
		return fmt.Errorf("insert member version: %w", err)
	}
	return nil
}

func (s *Store) sealSnapshot(m *domain.Member) ([]byte, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode member snapshot: %w", err)
	}
	sealedSnap, err := s.sealer.Seal(string(raw))
	if err != nil {
		return nil, fmt.Errorf("seal member snapshot: %w", err)
	}
	return sealedSnap, nil
}

// MemberChange is what an update function did: the kind of change, or ""
// for none (nothing is written, the version stays).
type MemberChange = domain.ChangeKind

// MemberUpdate is what UpdateMember hands its function: the member, locked,
// to change in place, and today. The function says what it did in Change,
// and lists in Closed the member's enrollments it closed, each with its
// fact at the same index of ClosedFacts.
type MemberUpdate struct {
	Member      *domain.Member
	Today       time.Time
	Change      MemberChange
	Closed      []domain.Enrollment
	ClosedFacts []domain.EnrollmentEvent

	tx *sqlx.Tx
	s  *Store
}

// Enrollments loads the member's enrollments, locked until the update
// commits.
func (u *MemberUpdate) Enrollments(ctx context.Context) ([]domain.Enrollment, error) {
	by, err := u.s.enrollmentsOf(ctx, u.tx, []string{u.Member.ID}, true)
	if err != nil {
		return nil, err
	}
	return by[u.Member.ID], nil
}

// UpdateMember runs fn on the member locked FOR UPDATE and saves what it
// did in one transaction with the version row, the enrollments it closed
// (with their facts and enrollment.ended), the audit row and the member's
// event. ifVersion > 0 must be the member's current version (else
// ErrVersionMismatch); a change of unit must name a unit in scope (else
// ErrUnitNotManaged). A Change of "" writes nothing.
func (s *Store) UpdateMember(ctx context.Context, id string, scope Scope, ifVersion int64, meta Meta, ann Announcer,
	fn func(u *MemberUpdate) error) (*domain.Member, error) {
	var out *domain.Member
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		m, err := s.getMember(ctx, tx, id, scope, true, true)
		if err != nil {
			return err
		}
		if ifVersion > 0 && m.Version != ifVersion {
			return ErrVersionMismatch
		}
		before := cloneMember(m)
		u := &MemberUpdate{Member: m, Today: clock.Today(s.clock), tx: tx, s: s}
		if err := fn(u); err != nil {
			return err
		}
		change := u.Change
		if len(u.Closed) != len(u.ClosedFacts) {
			return fmt.Errorf("update member %s: %d enrollments closed with %d facts", m.ID, len(u.Closed), len(u.ClosedFacts))
		}
		if change == "" {
			out = m
			return nil
		}
		if m.UnitID != before.UnitID {
			if err := s.checkUnitInScope(ctx, tx, m.UnitID, scope); err != nil {
				return err
			}
		}
		m.Version++
		now := s.now()
		if err := s.saveMember(ctx, tx, m, now, true); err != nil {
			return err
		}
		if err := s.closeEnrollments(ctx, tx, u.Closed, u.ClosedFacts, now, meta, ann); err != nil {
			return err
		}
		if err := s.recordMemberChange(ctx, tx, before, m, change, now, meta, ann); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

func (s *Store) saveMember(ctx context.Context, tx *sqlx.Tx, m *domain.Member, now time.Time, children bool) error {
	args, err := s.memberArgs(m)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, updateMemberSQL, append(args, now)...)
	if err != nil {
		if pg.IsUniqueViolation(err) {
			return ErrDuplicateMember
		}
		return fmt.Errorf("update member %s: %w", m.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrVersionMismatch
	}
	if !children {
		return nil
	}
	return s.writeChildren(ctx, tx, m, true)
}

func cloneMember(m *domain.Member) *domain.Member {
	c := *m
	c.Honours = append([]domain.Honour(nil), m.Honours...)
	c.Dependants = append([]domain.Dependant(nil), m.Dependants...)
	c.Beneficiaries = append([]domain.Beneficiary(nil), m.Beneficiaries...)
	return &c
}
