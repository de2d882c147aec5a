package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Audience is one group of people the notify service wants to tell: one
// account; the accounts of a member (the officer, and their family), only
// those holding Role when it is set too; or every holder of a role, within
// a unit when Unit is set.
type Audience struct {
	// User is one account, by id (the owner of an account told of failed
	// sign-ins).
	User   string `json:"user,omitempty"`
	Member string `json:"member,omitempty"`
	Role   string `json:"role,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

// Recipient is an enabled account in an audience, with its language.
type Recipient struct {
	UserID string `json:"user_id" db:"user_id"`
	Lang   string `json:"lang" db:"lang"`
}

// Recipients returns the enabled accounts in any of the audiences, each
// once, by id.
func (s *Store) Recipients(ctx context.Context, audiences []Audience) ([]Recipient, error) {
	n := len(audiences)
	users, members, roles, units := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, a := range audiences {
		users[i], members[i], roles[i], units[i] = a.User, a.Member, a.Role, a.Unit
		// Accounts are keyed by UUID: an id that is not one names nobody
		// (and must not reach the ::uuid below).
		if _, err := uuid.Parse(a.User); err != nil {
			users[i] = ""
		}
	}
	var out []Recipient
	err := sqlx.SelectContext(ctx, s.db, &out, `SELECT DISTINCT u.id::text AS user_id, u.lang
		FROM users u, unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS a(member, role, unit, usr)
		WHERE u.disabled_at IS NULL
		  AND ((a.usr <> '' AND u.id = NULLIF(a.usr, '')::uuid)
		    OR (a.member <> '' AND u.member_id = a.member AND (a.role = '' OR u.roles @> ARRAY[a.role]))
		    OR (a.member = '' AND a.usr = '' AND a.role <> '' AND u.roles @> ARRAY[a.role] AND (a.unit = '' OR u.units @> ARRAY[a.unit])))
		ORDER BY 1`, pq.Array(members), pq.Array(roles), pq.Array(units), pq.Array(users))
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	return out, nil
}
