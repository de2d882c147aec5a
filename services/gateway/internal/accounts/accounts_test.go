package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// fastPolicies keep argon2 cheap in tests; the rules are the defaults.
var fastPolicies = accounts.Policies{
	Passwords: domain.PasswordPolicy{Params: domain.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
}

func newService(t *testing.T) (*accounts.Service, *store.Store, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	st := store.New(newTestDB(t), clk)
	return accounts.New(st, clk, fastPolicies, nil), st, clk
}

func seedOfficer(t *testing.T, svc *accounts.Service) *domain.User {
	t.Helper()
	u, err := svc.CreateUser(context.Background(), domain.UserInput{
		Username: "zhangsan", DisplayName: "张三", MemberID: "m-1", Roles: []domain.Role{domain.RoleOfficer},
	}, "green tea leaves", "green tea leaves", store.Actor{UserID: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	u := seedOfficer(t, svc)
	tests := []struct {
		name     string
		in       domain.SignInInput
		wantErr  error
		wantUser string
	}{
		{name: "right", in: domain.SignInInput{Username: "ZhangSan", Password: "green tea leaves"}, wantUser: u.ID},
		{name: "wrong password", in: domain.SignInInput{Username: "zhangsan", Password: "green tea"}, wantErr: domain.ErrInvalidCredentials},
		{name: "unknown user", in: domain.SignInInput{Username: "nobody", Password: "green tea leaves"}, wantErr: domain.ErrInvalidCredentials},
		{name: "empty", in: domain.SignInInput{}, wantErr: domain.ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := svc.SignIn(ctx, tc.in, "10.0.0.1", "test")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("SignIn = %v, want %v", err, tc.wantErr)
			}
			if err == nil {
				if got.User.ID != tc.wantUser || got.Token == "" {
					t.Fatalf("signed in %+v", got)
				}
				sess, user, err := svc.Resolve(ctx, got.Token)
				if err != nil || user.ID != u.ID || sess.CSRFToken != got.Session.CSRFToken {
					t.Fatalf("Resolve = %+v, %+v, %v", sess, user, err)
				}
			}
		})
	}
}

func TestSignInGivesNewSessionEachTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	seedOfficer(t, svc)
	in := domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}
	a, err := svc.SignIn(ctx, in, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.SignIn(ctx, in, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Token == b.Token || a.Session.CSRFToken == b.Session.CSRFToken {
		t.Fatal("two sign-ins share a session id or form token")
	}
}

// An attacker who knows a username hammers it from one address: the owner
// still signs in from another address at once (the old rule refused them
// after 5 failures, even with the right password), and is told about it.
func TestAttackerCannotLockTheOwnerOutFromAnotherAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, clk := newService(t)
	seedOfficer(t, svc)
	wrong := domain.SignInInput{Username: "zhangsan", Password: "wrong password"}
	counted := 0
	for range 60 {
		_, err := svc.SignIn(ctx, wrong, "203.0.113.9", "")
		if errors.Is(err, domain.ErrInvalidCredentials) {
			counted++
		}
		clk.Advance(20 * time.Second)
	}
	var te *domain.ThrottledError
	if _, err := svc.SignIn(ctx, wrong, "203.0.113.9", ""); !errors.As(err, &te) {
		t.Fatalf("the attacker's address is not slowed: %v", err)
	}
	right := domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}
	got, err := svc.SignIn(ctx, right, "10.0.0.2", "")
	if err != nil {
		t.Fatalf("owner from another address: %v; want signed in", err)
	}
	if got.Failures.Count < counted || got.Failures.LastAddress != "203.0.113.9" || got.Failures.LastAt.IsZero() {
		t.Fatalf("notice = %+v, want at least %d failures, last from 203.0.113.9", got.Failures, counted)
	}
	// Told once: the next sign-in has nothing new to tell.
	again, err := svc.SignIn(ctx, right, "10.0.0.2", "")
	if err != nil || again.Failures.Count != 0 {
		t.Fatalf("second sign-in: %+v, %v", again.Failures, err)
	}
	// The account page still shows what the sign-in before this one missed.
	n, err := svc.FailureNotice(ctx, got.User)
	if err != nil || n.Count != 0 {
		t.Fatalf("account page notice after two sign-ins = %+v, %v", n, err)
	}
}

// An attacker behind the owner's own address (one station NAT) delays the
// owner but cannot lock them out: after the wait the right password works,
// and hammering during the wait does not lengthen it.
func TestAttackerFromTheOwnersAddressDelaysButDoesNotLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, clk := newService(t)
	seedOfficer(t, svc)
	wrong := domain.SignInInput{Username: "zhangsan", Password: "wrong password"}
	right := domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}
	for i := range 5 {
		if _, err := svc.SignIn(ctx, wrong, "10.0.0.1", ""); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		clk.Advance(time.Second)
	}
	var te *domain.ThrottledError
	if _, err := svc.SignIn(ctx, right, "10.0.0.1", ""); !errors.As(err, &te) || te.Wait > 30*time.Second {
		t.Fatalf("owner at the attacked address: %v; want a wait of at most 30s", err)
	}
	for range 10 {
		_, _ = svc.SignIn(ctx, wrong, "10.0.0.1", "")
	}
	clk.Advance(31 * time.Second)
	if _, err := svc.SignIn(ctx, right, "10.0.0.1", ""); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	// The same for a name that does not exist: throttling tells nothing.
	ghost := domain.SignInInput{Username: "ghost", Password: "wrong password"}
	for range 5 {
		_, _ = svc.SignIn(ctx, ghost, "10.0.0.3", "")
	}
	if _, err := svc.SignIn(ctx, ghost, "10.0.0.3", ""); !errors.As(err, &te) {
		t.Fatalf("unknown account not throttled alike: %v", err)
	}
}

// One address spraying many names uses up its budget: its failing pairs
// are slowed, but a colleague at that address whose name has not failed
// there signs in at once.
func TestAddressBudgetSlowsOnlyItsFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	seedOfficer(t, svc)
	for i := range 30 {
		_, _ = svc.SignIn(ctx, domain.SignInInput{Username: "guess" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Password: "x"}, "10.9.9.9", "")
	}
	var te *domain.ThrottledError
	if _, err := svc.SignIn(ctx, domain.SignInInput{Username: "guessaa", Password: "x"}, "10.9.9.9", ""); !errors.As(err, &te) {
		t.Fatalf("a failing pair of a spent address: %v; want throttled", err)
	}
	if _, err := svc.SignIn(ctx, domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}, "10.9.9.9", ""); err != nil {
		t.Fatalf("colleague at the spent address: %v; want signed in", err)
	}
}

// An administrator sees the throttle and lifts it; the lift is audited.
func TestAdminSeesAndLiftsAThrottle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st, clk := newService(t)
	u := seedOfficer(t, svc)
	wrong := domain.SignInInput{Username: "zhangsan", Password: "wrong password"}
	for range 6 {
		_, _ = svc.SignIn(ctx, wrong, "10.0.0.1", "")
		clk.Advance(time.Second)
	}
	ths, err := svc.Throttles(ctx)
	if err != nil || len(ths) != 1 {
		t.Fatalf("throttles = %+v, %v", ths, err)
	}
	if th := ths[0]; th.AccountKey != "zhangsan" || th.Address != "10.0.0.1" || th.UserID != u.ID || th.Stats.Pair.Count != 5 || th.RetryAt.IsZero() {
		t.Fatalf("throttle = %+v", th)
	}
	if err := svc.LiftThrottle(ctx, "zhangsan", "10.0.0.1", store.Actor{UserID: "admin", RequestID: "req-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(ctx, domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}, "10.0.0.1", ""); err != nil {
		t.Fatalf("after the lift: %v", err)
	}
	if ths, _ := svc.Throttles(ctx); len(ths) != 0 {
		t.Fatalf("throttles after lift and sign-in = %+v", ths)
	}
	var n int
	if err := st.DB().Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'sign_in_throttle.lift' AND actor = 'admin' AND object_id = 'zhangsan@10.0.0.1'`); err != nil || n != 1 {
		t.Fatalf("audit rows = %d, %v", n, err)
	}
}

func TestResolveExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, clk := newService(t)
	seedOfficer(t, svc)
	s, err := svc.SignIn(ctx, domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(29 * time.Minute)
	if _, _, err := svc.Resolve(ctx, s.Token); err != nil {
		t.Fatalf("within idle: %v", err)
	}
	clk.Advance(29 * time.Minute) // kept alive by the touch above
	if _, _, err := svc.Resolve(ctx, s.Token); err != nil {
		t.Fatalf("touched session: %v", err)
	}
	clk.Advance(30 * time.Minute)
	if _, _, err := svc.Resolve(ctx, s.Token); !errors.Is(err, accounts.ErrNoSession) {
		t.Fatalf("idle session: %v", err)
	}
	if _, _, err := svc.Resolve(ctx, ""); !errors.Is(err, accounts.ErrNoSession) {
		t.Fatalf("no cookie: %v", err)
	}
}

func TestDisableEndsSessionsAndSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	u := seedOfficer(t, svc)
	in := domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}
	s, err := svc.SignIn(ctx, in, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Disable(ctx, u.ID, 0, store.Actor{UserID: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Resolve(ctx, s.Token); !errors.Is(err, accounts.ErrNoSession) {
		t.Fatalf("session of disabled user: %v", err)
	}
	if _, err := svc.SignIn(ctx, in, "", ""); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("disabled sign-in: %v", err)
	}
}

func TestSetPasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	u := seedOfficer(t, svc)
	in := domain.SignInInput{Username: "zhangsan", Password: "green tea leaves"}
	a, _ := svc.SignIn(ctx, in, "", "")
	b, _ := svc.SignIn(ctx, in, "", "")
	if err := svc.SetPassword(ctx, u.ID, "short", "short", a.Session.IDHash, store.Actor{UserID: u.ID}); !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("weak password: %v", err)
	}
	if err := svc.SetPassword(ctx, u.ID, "black coffee beans", "black coffee beans", a.Session.IDHash, store.Actor{UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Resolve(ctx, a.Token); err != nil {
		t.Errorf("the changing session ended: %v", err)
	}
	if _, _, err := svc.Resolve(ctx, b.Token); !errors.Is(err, accounts.ErrNoSession) {
		t.Errorf("other session survived: %v", err)
	}
	if _, err := svc.SignIn(ctx, domain.SignInInput{Username: "zhangsan", Password: "black coffee beans"}, "", ""); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestCreateUserProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	seedOfficer(t, svc)
	_, err := svc.CreateUser(ctx, domain.UserInput{Username: "zhangsan", DisplayName: "x", Roles: []domain.Role{domain.RoleFinance}},
		"green tea leaves", "green tea leaves", store.Actor{})
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code != accounts.CodeUsernameTaken {
		t.Fatalf("taken username: %v", err)
	}
	_, err = svc.CreateUser(ctx, domain.UserInput{Username: "a", Roles: nil}, "12345678", "1", store.Actor{})
	if !errors.As(err, &ve) || len(ve.Problems) != 4 {
		t.Fatalf("problems = %v, want username, name, roles and password together", err)
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, _ := newService(t)
	users := []accounts.SeedUser{
		{Username: "demo-officer", DisplayName: "演示干警", Roles: []domain.Role{domain.RoleOfficer}, MemberID: "m-9"},
		{Username: "demo-finance", DisplayName: "演示财务", Roles: []domain.Role{domain.RoleFinance}},
	}
	creds, err := svc.Seed(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range creds {
		if !c.Created || c.Password == "" {
			t.Fatalf("credential %+v", c)
		}
		if _, err := svc.SignIn(ctx, domain.SignInInput{Username: c.Username, Password: c.Password}, "", ""); err != nil {
			t.Errorf("printed password of %s does not work: %v", c.Username, err)
		}
	}
	again, err := svc.Seed(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		if c.Created || c.Password != "" {
			t.Errorf("second seed changed %+v", c)
		}
	}
}
