package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Member is the local projection of an enrollment member.
type Member struct {
	MemberID string `db:"member_id"`
	Name     string `db:"name"`
	UnitID   string `db:"unit_id"`
	Category string `db:"category"`
	// BirthDate is the member's date of birth (midnight UTC); nil when
	// enrollment's events have not carried it yet.
	BirthDate *time.Time `db:"birth_date"`
}

// Member reads one member of the projection.
func (s *Store) Member(ctx context.Context, id string) (Member, error) {
	var m Member
	// Read on every filing: prepared.
	err := sqlx.GetContext(ctx, s.stmts.DB(), &m, `SELECT member_id, name, unit_id, category, birth_date FROM members WHERE member_id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	if err != nil {
		return Member{}, fmt.Errorf("read member: %w", err)
	}
	return m, nil
}
