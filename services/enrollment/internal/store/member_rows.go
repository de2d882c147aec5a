package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// memberColumns are read by every member query, in memberRow's order.
const memberColumns = `m.id, m.unit_id, m.name, m.category, m.frontline, m.aux_duty, m.high_risk,
	m.id_number_sealed, m.id_number_masked, m.birth_date, m.sex, m.phone, m.hire_date, m.service_start,
	m.status, m.status_date, m.death_cause, m.version`

type memberRow struct {
	ID           string         `db:"id"`
	UnitID       string         `db:"unit_id"`
	Name         string         `db:"name"`
	Category     string         `db:"category"`
	Frontline    bool           `db:"frontline"`
	AuxDuty      sql.NullString `db:"aux_duty"`
	HighRisk     bool           `db:"high_risk"`
	IDSealed     []byte         `db:"id_number_sealed"`
	IDMasked     string         `db:"id_number_masked"`
	BirthDate    time.Time      `db:"birth_date"`
	Sex          string         `db:"sex"`
	Phone        string         `db:"phone"`
	HireDate     time.Time      `db:"hire_date"`
	ServiceStart time.Time      `db:"service_start"`
	Status       string         `db:"status"`
	StatusDate   sql.NullTime   `db:"status_date"`
	DeathCause   sql.NullString `db:"death_cause"`
	Version      int64          `db:"version"`
}

// day normalises a date read from PostgreSQL to midnight UTC.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func nullDay(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: day(t), Valid: true}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// toDomain opens the sealed identity number. reveal=false keeps only the
// masked number in Identity.Number, for list pages that never show it.
func (s *Store) toDomain(r memberRow, reveal bool) (*domain.Member, error) {
	number := r.IDMasked
	if reveal {
		plain, err := s.sealer.Open(r.IDSealed)
		if err != nil {
			return nil, fmt.Errorf("open identity number of member %s: %w", r.ID, err)
		}
		number = plain
	}
	m := &domain.Member{
		ID: r.ID, UnitID: r.UnitID, Name: r.Name, Category: domain.Category(r.Category),
		Post:         domain.Post{Frontline: r.Frontline, AuxDuty: domain.AuxDuty(r.AuxDuty.String), HighRisk: r.HighRisk},
		Identity:     domain.Identity{Number: number, Birth: day(r.BirthDate), Sex: domain.Sex(r.Sex)},
		Phone:        r.Phone,
		HireDate:     day(r.HireDate),
		ServiceStart: day(r.ServiceStart),
		Status:       domain.Status(r.Status),
		DeathCause:   domain.DeathCause(r.DeathCause.String),
		Version:      r.Version,
	}
	if r.StatusDate.Valid {
		m.StatusDate = day(r.StatusDate.Time)
	}
	return m, nil
}

// loadChildren fills honours, dependants and beneficiaries of members.
func (s *Store) loadChildren(ctx context.Context, q sqlx.QueryerContext, members map[string]*domain.Member, reveal bool) error {
	if len(members) == 0 {
		return nil
	}
	ids := make([]string, 0, len(members))
	for id := range members {
		ids = append(ids, id)
	}
	var honours []struct {
		MemberID  string    `db:"member_id"`
		Kind      string    `db:"kind"`
		AwardedOn time.Time `db:"awarded_on"`
	}
	if err := sqlx.SelectContext(ctx, q, &honours,
		`SELECT member_id, kind, awarded_on FROM member_honours WHERE member_id = ANY($1) ORDER BY awarded_on, kind`, pq.Array(ids)); err != nil {
		return fmt.Errorf("load honours: %w", err)
	}
	for _, h := range honours {
		m := members[h.MemberID]
		m.Honours = append(m.Honours, domain.Honour{Kind: domain.HonourKind(h.Kind), AwardedOn: day(h.AwardedOn)})
	}
	var deps []struct {
		ID        string    `db:"id"`
		MemberID  string    `db:"member_id"`
		Relation  string    `db:"relation"`
		Name      string    `db:"name"`
		Sealed    []byte    `db:"id_number_sealed"`
		Masked    string    `db:"id_number_masked"`
		BirthDate time.Time `db:"birth_date"`
		Sex       string    `db:"sex"`
		Phone     string    `db:"phone"`
	}
	if err := sqlx.SelectContext(ctx, q, &deps,
		`SELECT id, member_id, relation, name, id_number_sealed, id_number_masked, birth_date, sex, phone
		   FROM dependants WHERE member_id = ANY($1) ORDER BY id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("load dependants: %w", err)
	}
	for _, d := range deps {
		number := d.Masked
		if reveal {
			plain, err := s.sealer.Open(d.Sealed)
			if err != nil {
				return fmt.Errorf("open identity number of dependant %s: %w", d.ID, err)
			}
			number = plain
		}
		m := members[d.MemberID]
		m.Dependants = append(m.Dependants, domain.Dependant{
			ID: d.ID, Relation: domain.Relation(d.Relation), Name: d.Name, Phone: d.Phone,
			Identity: domain.Identity{Number: number, Birth: day(d.BirthDate), Sex: domain.Sex(d.Sex)},
		})
	}
	var bens []struct {
		MemberID string         `db:"member_id"`
		Scheme   string         `db:"scheme"`
		Name     string         `db:"name"`
		Relation string         `db:"relation"`
		Sealed   []byte         `db:"id_number_sealed"`
		Masked   sql.NullString `db:"id_number_masked"`
		ShareBP  int            `db:"share_bp"`
	}
	if err := sqlx.SelectContext(ctx, q, &bens,
		`SELECT member_id, scheme, name, relation, id_number_sealed, id_number_masked, share_bp
		   FROM beneficiaries WHERE member_id = ANY($1) ORDER BY scheme, position`, pq.Array(ids)); err != nil {
		return fmt.Errorf("load beneficiaries: %w", err)
	}
	for _, b := range bens {
		var id domain.Identity
		if b.Masked.Valid {
			id.Number = b.Masked.String
			if reveal {
				plain, err := s.sealer.Open(b.Sealed)
				if err != nil {
					return fmt.Errorf("open identity number of a beneficiary of %s: %w", b.MemberID, err)
				}
				parsed, err := idcard.Parse(plain)
				if err != nil {
					return fmt.Errorf("stored beneficiary identity of %s: %w", b.MemberID, err)
				}
				id = domain.Identity{Number: parsed.Number, Birth: parsed.Birth, Sex: domain.Sex(parsed.Sex)}
			}
		}
		m := members[b.MemberID]
		m.Beneficiaries = append(m.Beneficiaries, domain.Beneficiary{
			Scheme: domain.SchemeCode(b.Scheme), Name: b.Name, Relation: domain.Relation(b.Relation), Identity: id, Share: domain.Percent(b.ShareBP),
		})
	}
	return nil
}

// memberArgs are the values of a member row in insert order.
func (s *Store) memberArgs(m *domain.Member) ([]any, error) {
	sealedID, err := s.sealer.Seal(m.Identity.Number)
	if err != nil {
		return nil, fmt.Errorf("seal identity number: %w", err)
	}
	return []any{
		m.ID, m.UnitID, m.Name, string(m.Category), m.Post.Frontline, nullString(string(m.Post.AuxDuty)), m.Post.HighRisk,
		sealedID, s.sealer.Index(m.Identity.Number), idcard.Mask(m.Identity.Number), day(m.Identity.Birth), string(m.Identity.Sex),
		m.Phone, day(m.HireDate), day(m.ServiceStart), string(m.Status), nullDay(m.StatusDate), nullString(string(m.DeathCause)), m.Version,
	}, nil
}

const insertMemberSQL = `INSERT INTO members (id, unit_id, name, category, frontline, aux_duty, high_risk,
	id_number_sealed, id_number_index, id_number_masked, birth_date, sex, phone, hire_date, service_start,
	status, status_date, death_cause, version, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`

const updateMemberSQL = `UPDATE members SET unit_id = $2, name = $3, category = $4, frontline = $5, aux_duty = $6,
	high_risk = $7, id_number_sealed = $8, id_number_index = $9, id_number_masked = $10, birth_date = $11, sex = $12,
	phone = $13, hire_date = $14, service_start = $15, status = $16, status_date = $17, death_cause = $18,
	version = $19, updated_at = $20
	WHERE id = $1 AND version = $19 - 1`

// writeChildren replaces a member's honours, dependants and beneficiaries.
func (s *Store) writeChildren(ctx context.Context, tx *sqlx.Tx, m *domain.Member, replace bool) error {
	if replace {
		for _, table := range []string{"member_honours", "dependants", "beneficiaries"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE member_id = $1`, m.ID); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
	}
	for _, h := range m.Honours {
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_honours (member_id, kind, awarded_on) VALUES ($1, $2, $3)`,
			m.ID, string(h.Kind), day(h.AwardedOn)); err != nil {
			return fmt.Errorf("insert honour: %w", err)
		}
	}
	for _, d := range m.Dependants {
		sealedID, err := s.sealer.Seal(d.Identity.Number)
		if err != nil {
			return fmt.Errorf("seal dependant identity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dependants (id, member_id, relation, name, id_number_sealed,
			id_number_index, id_number_masked, birth_date, sex, phone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			d.ID, m.ID, string(d.Relation), d.Name, sealedID, s.sealer.Index(d.Identity.Number), idcard.Mask(d.Identity.Number),
			day(d.Identity.Birth), string(d.Identity.Sex), d.Phone); err != nil {
			return fmt.Errorf("insert dependant: %w", err)
		}
	}
	pos := map[domain.SchemeCode]int{}
	for _, b := range m.Beneficiaries {
		var sealedID []byte
		var index, masked sql.NullString
		if b.Identity.Number != "" {
			var err error
			if sealedID, err = s.sealer.Seal(b.Identity.Number); err != nil {
				return fmt.Errorf("seal beneficiary identity: %w", err)
			}
			index = nullString(s.sealer.Index(b.Identity.Number))
			masked = nullString(idcard.Mask(b.Identity.Number))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO beneficiaries (member_id, scheme, position, name, relation,
			id_number_sealed, id_number_index, id_number_masked, share_bp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			m.ID, string(b.Scheme), pos[b.Scheme], b.Name, string(b.Relation), sealedID, index, masked, int(b.Share)); err != nil {
			return fmt.Errorf("insert beneficiary: %w", err)
		}
		pos[b.Scheme]++
	}
	return nil
}
