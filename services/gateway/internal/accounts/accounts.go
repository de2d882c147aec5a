// Package accounts is the gateway's application layer for people: sign-in
// with throttling, sessions, and the administration of users. It joins the
// domain's rules to the store's transactions; HTTP handlers and the demo
// seed call it, never the store directly.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// Policies are the rules the service runs with; the zero value of a field
// means the domain's default.
type Policies struct {
	Passwords domain.PasswordPolicy
	Throttle  domain.ThrottlePolicy
	Sessions  domain.SessionPolicy
}

// Service signs people in and manages their accounts.
type Service struct {
	store *store.Store
	clk   clock.Clock
	pol   Policies
	log   *slog.Logger
}

// New returns a Service over st.
func New(st *store.Store, clk clock.Clock, pol Policies, log *slog.Logger) *Service {
	if pol.Passwords == (domain.PasswordPolicy{}) {
		pol.Passwords = domain.NewPasswordPolicy()
	}
	if pol.Throttle == (domain.ThrottlePolicy{}) {
		pol.Throttle = domain.DefaultThrottle
	}
	if pol.Sessions == (domain.SessionPolicy{}) {
		pol.Sessions = domain.DefaultSessions
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, clk: clk, pol: pol, log: log}
}

// Policies returns the rules in force.
func (s *Service) Policies() Policies { return s.pol }

// SignedIn is the outcome of a successful sign-in: the user, the new
// session, and the cookie value that names it (shown to nobody else).
type SignedIn struct {
	User    *domain.User
	Session domain.Session
	Token   string
	// Failures are the failed attempts on the account since its previous
	// sign-in, to tell the person about.
	Failures domain.FailureNotice
}

// SignIn checks a username and password from address and starts a new
// session. It answers a *fielderr.Invalid for empty fields, a
// *domain.ThrottledError when too many attempts failed, and
// domain.ErrInvalidCredentials for every other failure, in about the same
// time whether or not the account exists. Every attempt is recorded.
func (s *Service) SignIn(ctx context.Context, in domain.SignInInput, address, userAgent string) (SignedIn, error) {
	if err := in.Validate(); err != nil {
		return SignedIn{}, err
	}
	now := s.clk.Now()
	key := domain.ThrottleKey(in.Username)
	stats, err := s.store.ThrottleStats(ctx, key, address, s.pol.Throttle.Since(now))
	if err != nil {
		return SignedIn{}, err
	}
	attempt := store.Attempt{AccountKey: key, Address: address, At: now}
	if err := s.pol.Throttle.Check(now, stats); err != nil {
		attempt.Reason = store.ReasonThrottled
		return SignedIn{}, errors.Join(err, s.record(ctx, attempt))
	}
	u, err := s.store.UserByUsername(ctx, in.Username)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u = nil
	case err != nil:
		return SignedIn{}, err
	}
	if u != nil {
		attempt.UserID = u.ID
	}
	rehash, err := s.pol.Passwords.Authenticate(u, in.Password)
	if err != nil {
		if errors.Is(err, domain.ErrMalformedHash) {
			s.log.ErrorContext(ctx, "stored password hash is malformed", "user_id", u.ID, "error", err)
		}
		attempt.Reason = store.ReasonInvalid
		if u != nil && !u.Active() {
			attempt.Reason = store.ReasonDisabled
		}
		if rerr := s.record(ctx, attempt); rerr != nil {
			return SignedIn{}, rerr
		}
		return SignedIn{}, domain.ErrInvalidCredentials
	}
	if rehash {
		if err := s.store.SetPasswordHash(ctx, u.ID, u.PasswordHash, s.pol.Passwords.Hash(in.Password)); err != nil {
			s.log.WarnContext(ctx, "could not re-hash password", "user_id", u.ID, "error", err)
		}
	}
	out, err := s.startSession(ctx, u, address, userAgent)
	if err != nil {
		return SignedIn{}, err
	}
	if out.Failures, err = s.store.FailureNotice(ctx, key, 0); err != nil {
		return SignedIn{}, err
	}
	attempt.Success = true
	if err := s.record(ctx, attempt); err != nil {
		return SignedIn{}, err
	}
	return out, nil
}

// FailureNotice is what the account page tells u: the failed attempts on
// their account since the sign-in before their current one.
func (s *Service) FailureNotice(ctx context.Context, u *domain.User) (domain.FailureNotice, error) {
	return s.store.FailureNotice(ctx, domain.ThrottleKey(u.Username), 1)
}

// maxThrottlesListed bounds the administrators' list: the window keeps it
// short, and the most recent pairs come first.
const maxThrottlesListed = 200

// Throttles lists the (account name, address) pairs with failures in the
// window since their last success or lift, with when each may try again.
func (s *Service) Throttles(ctx context.Context) ([]domain.Throttle, error) {
	now := s.clk.Now()
	since := s.pol.Throttle.Since(now)
	pairs, err := s.store.FailingPairs(ctx, since, maxThrottlesListed)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Throttle, 0, len(pairs))
	for _, p := range pairs {
		st, err := s.store.ThrottleStats(ctx, p.AccountKey, p.Address, since)
		if err != nil {
			return nil, err
		}
		th := domain.Throttle{AccountKey: p.AccountKey, Address: p.Address, UserID: p.UserID, Stats: st}
		if r := s.pol.Throttle.RetryAt(st); r.After(now) {
			th.RetryAt = r
		}
		out = append(out, th)
	}
	return out, nil
}

// LiftThrottle forgets the failures of one (account name, address) pair, so
// its next attempt has its password checked at once. Audited.
func (s *Service) LiftThrottle(ctx context.Context, accountKey, address string, by store.Actor) error {
	key := domain.ThrottleKey(accountKey)
	if key == "" || address == "" {
		return store.ErrNotFound
	}
	return s.store.LiftThrottle(ctx, key, address, s.clk.Now(), by)
}

func (s *Service) startSession(ctx context.Context, u *domain.User, address, userAgent string) (SignedIn, error) {
	sess, token := s.pol.Sessions.NewSession(u.ID, s.clk.Now(), address, userAgent)
	if err := s.store.CreateSession(ctx, sess); err != nil {
		if errors.Is(err, store.ErrUserDisabled) {
			return SignedIn{}, domain.ErrInvalidCredentials
		}
		return SignedIn{}, err
	}
	return SignedIn{User: u, Session: sess, Token: token}, nil
}

func (s *Service) record(ctx context.Context, a store.Attempt) error {
	if err := s.store.RecordAttempt(ctx, a); err != nil {
		return fmt.Errorf("sign-in: %w", err)
	}
	return nil
}

// SignInExternal starts a session for the user linked to an identity
// provider's issuer and subject (OIDC). domain.ErrInvalidCredentials when
// no active user is linked: accounts are created by administrators, never
// by a first sign-in.
func (s *Service) SignInExternal(ctx context.Context, issuer, subject, address, userAgent string) (SignedIn, error) {
	u, err := s.store.UserByOIDC(ctx, issuer, subject)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return SignedIn{}, domain.ErrInvalidCredentials
	case err != nil:
		return SignedIn{}, err
	}
	attempt := store.Attempt{AccountKey: domain.ThrottleKey(u.Username), Address: address, UserID: u.ID, At: s.clk.Now()}
	if !u.Active() {
		attempt.Reason = store.ReasonDisabled
		return SignedIn{}, errors.Join(domain.ErrInvalidCredentials, s.record(ctx, attempt))
	}
	out, err := s.startSession(ctx, u, address, userAgent)
	if err != nil {
		return SignedIn{}, err
	}
	attempt.Success, attempt.Reason = true, store.ReasonOIDC
	return out, s.record(ctx, attempt)
}

// Resolve returns the live session named by a cookie value and its user.
// An expired session is deleted and answers ErrNoSession, as does any
// unknown token. A session used after TouchEvery has its last use recorded.
func (s *Service) Resolve(ctx context.Context, token string) (domain.Session, *domain.User, error) {
	if token == "" {
		return domain.Session{}, nil, ErrNoSession
	}
	sess, u, err := s.store.SessionByToken(ctx, token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return domain.Session{}, nil, ErrNoSession
	case err != nil:
		return domain.Session{}, nil, err
	}
	now := s.clk.Now()
	if err := s.pol.Sessions.Check(sess, now); err != nil {
		if derr := s.store.DeleteSession(ctx, sess.IDHash); derr != nil {
			s.log.WarnContext(ctx, "could not delete expired session", "error", derr)
		}
		return domain.Session{}, nil, ErrNoSession
	}
	if s.pol.Sessions.NeedsTouch(sess, now) {
		if err := s.store.TouchSession(ctx, sess.IDHash, now); err != nil {
			return domain.Session{}, nil, err
		}
		sess.LastSeenAt = now
	}
	return sess, u, nil
}

// SignOut ends one session.
func (s *Service) SignOut(ctx context.Context, sess domain.Session) error {
	return s.store.DeleteSession(ctx, sess.IDHash)
}

// SetLang stores a user's language choice.
func (s *Service) SetLang(ctx context.Context, u *domain.User, lang string, by store.Actor) (*domain.User, error) {
	return s.store.UpdateUser(ctx, u.ID, 0, "user.set_lang", by, func(x *domain.User) error {
		return x.SetLang(lang, s.clk.Now())
	})
}

// SubmissionLease is how long a running form submission holds its token
// before a resubmission may take it over (its gateway process died).
const SubmissionLease = time.Minute

// SubmissionTTL is how long spent form tokens are remembered.
const SubmissionTTL = 24 * time.Hour

// ClaimSubmission takes a form's one-time token for u, or says what became
// of it (store.SubmissionDone with where the first submission went,
// store.SubmissionRunning while it runs).
func (s *Service) ClaimSubmission(ctx context.Context, u *domain.User, token, path string) (store.Submission, error) {
	return s.store.ClaimSubmission(ctx, u.ID, token, path, s.clk.Now(), SubmissionLease)
}

// CompleteSubmission spends the token: later submissions go to location.
func (s *Service) CompleteSubmission(ctx context.Context, u *domain.User, token, location string) error {
	return s.store.CompleteSubmission(ctx, u.ID, token, location)
}

// ReleaseSubmission gives the token back after a submission that changed
// nothing.
func (s *Service) ReleaseSubmission(ctx context.Context, u *domain.User, token string) error {
	return s.store.ReleaseSubmission(ctx, u.ID, token)
}
