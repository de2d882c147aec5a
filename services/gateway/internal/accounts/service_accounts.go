package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// CreateServiceAccount validates in and creates a machine client for the
// administrator by. It returns the account and its token, which is shown
// once and exists nowhere else: only the hash of its secret is stored.
func (s *Service) CreateServiceAccount(ctx context.Context, in domain.ServiceAccountInput, by store.Actor) (*domain.ServiceAccount, string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, "", err
	}
	a, token, err := domain.NewServiceAccount(id.String(), in, by.UserID, s.clk.Now())
	if err != nil {
		return nil, "", err
	}
	if err := s.store.CreateServiceAccount(ctx, a, by); err != nil {
		return nil, "", err
	}
	return a, token, nil
}

// ServiceAccount returns one account, or store.ErrNotFound.
func (s *Service) ServiceAccount(ctx context.Context, id string) (*domain.ServiceAccount, error) {
	return s.store.ServiceAccountByID(ctx, id)
}

// ServiceAccounts lists a page of accounts, newest first.
func (s *Service) ServiceAccounts(ctx context.Context, p store.AccountPage) ([]*domain.ServiceAccount, error) {
	return s.store.ServiceAccounts(ctx, p)
}

// RevokeServiceAccount ends an account under If-Match version expect (0:
// unconditional); its token is refused from the next request on. Audited.
func (s *Service) RevokeServiceAccount(ctx context.Context, id string, expect int64, by store.Actor) (*domain.ServiceAccount, error) {
	return s.store.UpdateServiceAccount(ctx, id, expect, "service_account.revoke", by, func(a *domain.ServiceAccount) error {
		return a.Revoke(by.UserID, s.clk.Now())
	})
}

// TokenRequest is what AuthenticateToken records of a refused request.
type TokenRequest struct {
	Method    string
	Path      string
	Address   string
	RequestID string
}

// AuthenticateToken returns the live service account a bearer token
// names. Bad tokens are throttled per address as sign-ins are (the same
// policy, under domain.TokenThrottleKey): a refused request answers a
// *domain.ThrottledError before the token is looked at; otherwise
// domain.ErrTokenInvalid, ErrTokenRevoked or ErrTokenExpired. Every refusal
// is recorded as a failed attempt and in the audit trail, with the token's
// public prefix only.
func (s *Service) AuthenticateToken(ctx context.Context, token string, req TokenRequest) (*domain.ServiceAccount, error) {
	now := s.clk.Now()
	// Most requests come from an address that sent no bad token lately:
	// one indexed look-up clears them (rule 1 of the policy: a pair that
	// has not failed is never delayed), the full count is for the rest.
	since := s.pol.Throttle.Since(now)
	var stats domain.ThrottleStats
	failed, err := s.store.PairFailedSince(ctx, domain.TokenThrottleKey, req.Address, since)
	if err == nil && failed {
		stats, err = s.store.ThrottleStats(ctx, domain.TokenThrottleKey, req.Address, since)
	}
	if err != nil {
		return nil, err
	}
	prefix, secret, wellFormed := domain.ParseToken(token)
	refusal := store.TokenRefusal{Method: req.Method, Path: req.Path, Address: req.Address}
	if wellFormed {
		refusal.Token = domain.TokenScheme + prefix
	}
	attempt := store.Attempt{AccountKey: domain.TokenThrottleKey, Address: req.Address, At: now}
	if terr := s.pol.Throttle.Check(now, stats); terr != nil {
		attempt.Reason, refusal.Outcome = store.ReasonThrottled, "throttled"
		return nil, errors.Join(terr, s.store.RecordTokenRefusal(ctx, attempt, refusal, "", req.RequestID))
	}
	var a *domain.ServiceAccount
	if wellFormed {
		a, err = s.store.ServiceAccountByPrefix(ctx, prefix)
		switch {
		case errors.Is(err, store.ErrNotFound):
			a = nil
		case err != nil:
			return nil, err
		}
	}
	if aerr := a.Authenticate(secret, now); aerr != nil {
		attempt.Reason, refusal.Outcome = store.ReasonInvalid, "invalid"
		accountID := ""
		switch {
		case errors.Is(aerr, domain.ErrTokenRevoked):
			attempt.Reason, refusal.Outcome, accountID = store.ReasonDisabled, "revoked", a.ID
		case errors.Is(aerr, domain.ErrTokenExpired):
			attempt.Reason, refusal.Outcome, accountID = store.ReasonDisabled, "expired", a.ID
		}
		if rerr := s.store.RecordTokenRefusal(ctx, attempt, refusal, accountID, req.RequestID); rerr != nil {
			return nil, fmt.Errorf("API token: %w", rerr)
		}
		return nil, aerr
	}
	// A good token from an address whose bad tokens are being counted
	// ends the count, as a successful sign-in does for its pair; otherwise
	// nothing is written, so a busy client adds no row per request.
	if stats.Pair.Count > 0 {
		attempt.Success = true
		if err := s.record(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// RecordTokenUse writes the account's last use at most once a minute and
// audits the request: always when mutating, otherwise when the last use
// was written (at most once a minute per account).
func (s *Service) RecordTokenUse(ctx context.Context, a *domain.ServiceAccount, use store.TokenUse, mutating bool, requestID string) error {
	now := s.clk.Now()
	if !mutating && !a.NeedsTouch(now) {
		return nil
	}
	_, err := s.store.RecordTokenUse(ctx, a.ID, now, use, mutating, requestID)
	return err
}
