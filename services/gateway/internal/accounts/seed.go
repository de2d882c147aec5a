package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// SeedUser describes one account the demo seed wants.
type SeedUser struct {
	Username    string
	DisplayName string
	Roles       []domain.Role
	MemberID    string
	Units       []string
	// Password is used when set (tests); otherwise a random one is made.
	Password string
}

// Credential is a created account and its password, to print once.
type Credential struct {
	Username string
	Password string
	Roles    []domain.Role
	Created  bool // false when the username existed and was left alone
}

// Seed creates the users that do not exist yet, each with the given or a
// fresh random password, and returns their credentials. Users that already
// exist are left untouched and reported with Created false and no
// password, so running the seed twice is harmless.
func (s *Service) Seed(ctx context.Context, users []SeedUser) ([]Credential, error) {
	out := make([]Credential, 0, len(users))
	by := store.Actor{UserID: "system:seed"}
	for _, su := range users {
		c := Credential{Username: domain.NormalizeUsername(su.Username), Roles: su.Roles}
		_, err := s.store.UserByUsername(ctx, su.Username)
		switch {
		case err == nil:
			out = append(out, c)
			continue
		case !errors.Is(err, store.ErrNotFound):
			return out, err
		}
		pw := su.Password
		if pw == "" {
			pw = DemoPassword()
		}
		in := domain.UserInput{Username: su.Username, DisplayName: su.DisplayName, Roles: su.Roles, MemberID: su.MemberID, Units: su.Units}
		if _, err := s.CreateUser(ctx, in, pw, pw, by); err != nil {
			return out, fmt.Errorf("seed user %s: %w", su.Username, err)
		}
		c.Password, c.Created = pw, true
		out = append(out, c)
	}
	return out, nil
}

// DemoPassword makes a random password that is easy to type on a phone:
// three groups of four lower-case letters and digits (about 62 bits).
func DemoPassword() string {
	t := strings.ToLower(rand.Text()) // base32: a-z and 2-7
	return t[0:4] + "-" + t[4:8] + "-" + t[8:12]
}
