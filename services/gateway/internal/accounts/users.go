package accounts

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// CreateUser validates and creates a user with a password ("" for an
// account that signs in only through OIDC). Problems with the profile and
// the password come back together in one *fielderr.Invalid; a taken
// username is a problem of the username field.
func (s *Service) CreateUser(ctx context.Context, in domain.UserInput, password, confirm string, by store.Actor) (*domain.User, error) {
	now := s.clk.Now()
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	u, err := domain.NewUser(id.String(), in, now)
	var problems []fielderr.Problem
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		problems = append(problems, ve.Problems...)
	case err != nil:
		return nil, err
	}
	if password != "" || confirm != "" {
		if err := s.pol.Passwords.Validate(password, confirm, in.Username); errors.As(err, &ve) {
			problems = append(problems, ve.Problems...)
		}
	}
	if len(problems) > 0 {
		return nil, &fielderr.Invalid{Problems: problems}
	}
	if password != "" {
		u.PasswordHash = s.pol.Passwords.Hash(password)
	}
	if err := s.store.CreateUser(ctx, u, by); err != nil {
		if errors.Is(err, store.ErrUsernameTaken) {
			return nil, fielderr.Fail("username", CodeUsernameTaken)
		}
		return nil, err
	}
	return u, nil
}

// CodeUsernameTaken is the problem code of a username already in use.
const CodeUsernameTaken = "gateway.user.username_taken"

// UpdateUser changes a user's profile, roles and units under If-Match
// version expect. Taking roles away ends the user's sessions, so a
// demotion takes effect at once rather than at the next sign-in.
func (s *Service) UpdateUser(ctx context.Context, id string, expect int64, in domain.UserInput, by store.Actor) (*domain.User, error) {
	var lostRoles bool
	u, err := s.store.UpdateUser(ctx, id, expect, "user.update", by, func(u *domain.User) error {
		old := u.Roles
		if err := u.Update(in, s.clk.Now()); err != nil {
			return err
		}
		for _, r := range old {
			if !u.Has(r) {
				lostRoles = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lostRoles {
		if _, err := s.store.DeleteUserSessions(ctx, id); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// SetPassword sets a new password for user id (an administrator's reset,
// or the user's own change) and ends the user's sessions except keep, so a
// stolen session dies with the old password.
func (s *Service) SetPassword(ctx context.Context, id string, password, confirm string, keep []byte, by store.Actor) error {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.pol.Passwords.Validate(password, confirm, u.Username); err != nil {
		return err
	}
	hash := s.pol.Passwords.Hash(password)
	if _, err := s.store.UpdateUser(ctx, id, 0, "user.set_password", by, func(u *domain.User) error {
		u.SetPassword(hash, s.clk.Now())
		return nil
	}); err != nil {
		return err
	}
	_, err = s.store.DeleteOtherSessions(ctx, id, keep)
	return err
}

// Disable stops a user from signing in and ends all their sessions in the
// same transaction.
func (s *Service) Disable(ctx context.Context, id string, expect int64, by store.Actor) (*domain.User, error) {
	return s.store.UpdateUser(ctx, id, expect, "user.disable", by, func(u *domain.User) error {
		return u.Disable(by.UserID, s.clk.Now())
	})
}

// Enable lets a disabled user sign in again.
func (s *Service) Enable(ctx context.Context, id string, expect int64, by store.Actor) (*domain.User, error) {
	return s.store.UpdateUser(ctx, id, expect, "user.enable", by, func(u *domain.User) error {
		return u.Enable(s.clk.Now())
	})
}

// User returns one user.
func (s *Service) User(ctx context.Context, id string) (*domain.User, error) {
	return s.store.UserByID(ctx, id)
}

// Users lists users.
func (s *Service) Users(ctx context.Context, f store.UserFilter) ([]*domain.User, error) {
	return s.store.ListUsers(ctx, f)
}

// LinkExternal links user id to an identity provider's subject (both empty
// to unlink), under If-Match version expect. store.ErrOIDCTaken when
// another user has the subject.
func (s *Service) LinkExternal(ctx context.Context, id string, expect int64, issuer, subject string, by store.Actor) (*domain.User, error) {
	return s.store.UpdateUser(ctx, id, expect, "user.link_oidc", by, func(u *domain.User) error {
		return u.LinkExternal(issuer, subject, s.clk.Now())
	})
}
