package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// newServiceAccount stores a finance account created by a new admin.
func newServiceAccount(t *testing.T, s *store.Store, name string) (*domain.ServiceAccount, *domain.User) {
	t.Helper()
	admin := newUser(t, "admin-"+uuid.NewString()[:8], []domain.Role{domain.RoleAdmin}, func(in *domain.UserInput) { in.MemberID = "" })
	if err := s.CreateUser(context.Background(), admin, store.Actor{}); err != nil {
		t.Fatal(err)
	}
	a, _, err := domain.NewServiceAccount(uuid.NewString(), domain.ServiceAccountInput{
		Name: name, Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: t0.Add(90 * 24 * time.Hour),
	}, admin.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateServiceAccount(context.Background(), a, store.Actor{UserID: admin.ID}); err != nil {
		t.Fatal(err)
	}
	return a, admin
}

func countAudit(t *testing.T, db *sqlx.DB, action string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = $1`, action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestServiceAccountRoundTripAndRevoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	s := store.New(db, clock.NewFake(t0))
	a, admin := newServiceAccount(t, s, "财务系统")
	got, err := s.ServiceAccountByPrefix(ctx, a.TokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != a.ID || !slices.Equal(got.SecretHash, a.SecretHash) || !slices.Equal(got.Roles, a.Roles) ||
		!got.ExpiresAt.Equal(a.ExpiresAt) || got.CreatedByName != admin.Username || got.Revoked() || !got.LastUsedAt.IsZero() {
		t.Fatalf("read back %+v, want %+v", got, a)
	}
	if _, err := s.ServiceAccountByPrefix(ctx, "0000000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown prefix: %v", err)
	}
	if _, err := s.ServiceAccountByID(ctx, "not-a-uuid"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("malformed id: %v", err)
	}
	if _, err := s.UpdateServiceAccount(ctx, a.ID, 7, "service_account.revoke", store.Actor{UserID: admin.ID},
		func(x *domain.ServiceAccount) error { return x.Revoke(admin.ID, t0) }); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale revoke: %v", err)
	}
	r, err := s.UpdateServiceAccount(ctx, a.ID, 1, "service_account.revoke", store.Actor{UserID: admin.ID},
		func(x *domain.ServiceAccount) error { return x.Revoke(admin.ID, t0) })
	if err != nil || !r.Revoked() || r.Version != 2 {
		t.Fatalf("revoke = %+v, %v", r, err)
	}
	got, _ = s.ServiceAccountByID(ctx, a.ID)
	if !got.Revoked() || got.RevokedByName != admin.Username {
		t.Errorf("revocation not stored: %+v", got)
	}
	if n := countAudit(t, db, "service_account.revoke"); n != 1 {
		t.Errorf("%d revoke rows, want 1 (the stale attempt wrote none)", n)
	}
}

// Replicas serving the same client at the same moment write its last use,
// and audit its reads, once a minute between them.
func TestTokenUseIsWrittenOnceAMinuteAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	clk := clock.NewFake(t0)
	s := store.New(db, clk)
	a, _ := newServiceAccount(t, s, "财务系统")
	use := store.TokenUse{Token: a.DisplayPrefix(), Method: "GET", Path: "/api/v1/grants/funds", Status: 200, Address: "10.0.0.7"}
	var wg sync.WaitGroup
	touched := make(chan bool, 8)
	for range 8 {
		wg.Go(func() {
			ok, err := s.RecordTokenUse(ctx, a.ID, clk.Now(), use, false, "req")
			if err != nil {
				t.Error(err)
			}
			touched <- ok
		})
	}
	wg.Wait()
	close(touched)
	n := 0
	for ok := range touched {
		if ok {
			n++
		}
	}
	if n != 1 || countAudit(t, db, "api_token.use") != 1 {
		t.Fatalf("8 reads at once: %d wrote the last use, %d audit rows; want 1 and 1", n, countAudit(t, db, "api_token.use"))
	}
	// A change is audited whatever the minute says.
	post := use
	post.Method, post.Status = "POST", 201
	if ok, err := s.RecordTokenUse(ctx, a.ID, clk.Now(), post, true, "req2"); err != nil || ok {
		t.Fatalf("a change in the same minute: touched %v, %v", ok, err)
	}
	if countAudit(t, db, "api_token.use") != 2 {
		t.Fatal("a change was not audited")
	}
	clk.Advance(time.Minute)
	if ok, _ := s.RecordTokenUse(ctx, a.ID, clk.Now(), use, false, "req3"); !ok {
		t.Fatal("a read a minute later did not write the last use")
	}
	got, _ := s.ServiceAccountByID(ctx, a.ID)
	if !got.LastUsedAt.Equal(clk.Now()) || got.LastUsedAddress != "10.0.0.7" {
		t.Errorf("last use %v from %q", got.LastUsedAt, got.LastUsedAddress)
	}
}

func TestServiceAccountsPageNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	clk := clock.NewFake(t0)
	s := store.New(db, clk)
	var ids []string
	for _, name := range []string{"一", "二", "三"} {
		a, _ := newServiceAccount(t, s, name)
		ids = append(ids, a.ID)
	}
	first, err := s.ServiceAccounts(ctx, store.AccountPage{Limit: 2})
	if err != nil || len(first) != 2 {
		t.Fatalf("first page = %d, %v", len(first), err)
	}
	rest, err := s.ServiceAccounts(ctx, store.AccountPage{AfterAt: first[1].CreatedAt, AfterID: first[1].ID, Limit: 2})
	if err != nil || len(rest) != 1 {
		t.Fatalf("second page = %d, %v", len(rest), err)
	}
	// All created at t0: the id (UUIDs here, v7 in production) orders them.
	seen := []string{first[0].ID, first[1].ID, rest[0].ID}
	slices.Sort(ids)
	slices.Reverse(ids)
	if !slices.Equal(seen, ids) {
		t.Errorf("pages %v, want %v", seen, ids)
	}
}
