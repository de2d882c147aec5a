package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func newUser(t *testing.T, name string, roles []domain.Role, edit func(*domain.UserInput)) *domain.User {
	t.Helper()
	in := domain.UserInput{Username: name, DisplayName: "测试 " + name, MemberID: "m-" + name, Roles: roles, Units: []string{"unit-1"}}
	if edit != nil {
		edit(&in)
	}
	u, err := domain.NewUser(uuid.NewString(), in, t0)
	if err != nil {
		t.Fatal(err)
	}
	u.PasswordHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA"
	return u
}

func TestUserRoundTripAndAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	db := newTestDB(t)
	s := store.New(db, clk)
	u := newUser(t, "zhangsan", []domain.Role{domain.RoleOfficer, domain.RoleCaseworker}, nil)
	if err := s.CreateUser(ctx, u, store.Actor{UserID: "admin-1", RequestID: "req-1"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByUsername(ctx, " ZhangSan ")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.DisplayName != u.DisplayName || !slices.Equal(got.Roles, u.Roles) ||
		!slices.Equal(got.Units, u.Units) || got.MemberID != u.MemberID || got.Version != 1 ||
		!got.CreatedAt.Equal(t0) || !got.Active() || got.Lang != domain.LangZH {
		t.Errorf("read back %+v, want %+v", got, u)
	}
	if _, err := s.UserByID(ctx, uuid.NewString()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	dup := newUser(t, "zhangsan", []domain.Role{domain.RoleFinance}, nil)
	if err := s.CreateUser(ctx, dup, store.Actor{}); !errors.Is(err, store.ErrUsernameTaken) {
		t.Errorf("duplicate username: %v", err)
	}
	recs, err := audit.List(ctx, db, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Action != "user.create" || recs[0].Actor != "admin-1" || recs[0].ObjectID != u.ID {
		t.Fatalf("audit rows %+v", recs)
	}
	if after := string(recs[0].After); after == "" || strings.Contains(after, "argon2id") || strings.Contains(after, "password_hash") {
		t.Errorf("audit row after = %s", recs[0].After)
	}
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	clk := clock.NewFake(t0)
	s := store.New(db, clk)
	u := newUser(t, "lisi", []domain.Role{domain.RoleOfficer}, nil)
	if err := s.CreateUser(ctx, u, store.Actor{}); err != nil {
		t.Fatal(err)
	}
	admin := store.Actor{UserID: "admin-1"}

	// A stale version changes nothing.
	if _, err := s.UpdateUser(ctx, u.ID, 7, "user.update", admin, func(u *domain.User) error { return u.SetLang(domain.LangEN, t0) }); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale update: %v", err)
	}
	// A rejected change changes nothing.
	if _, err := s.UpdateUser(ctx, u.ID, 1, "user.disable", admin, func(x *domain.User) error { return x.Disable(x.ID, t0) }); !errors.Is(err, domain.ErrDisableSelf) {
		t.Fatalf("disable self: %v", err)
	}
	if got, _ := s.UserByID(ctx, u.ID); got.Version != 1 || got.Lang != domain.LangZH {
		t.Fatalf("rejected updates changed the user: %+v", got)
	}

	// Disabling ends every session.
	policy := domain.DefaultSessions
	sess, token := policy.NewSession(u.ID, t0, "10.0.0.1", "test")
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByToken(ctx, token); err != nil {
		t.Fatalf("session before disabling: %v", err)
	}
	got, err := s.UpdateUser(ctx, u.ID, 1, "user.disable", admin, func(x *domain.User) error { return x.Disable("admin-1", clk.Now()) })
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Active() {
		t.Errorf("after disable %+v", got)
	}
	if _, _, err := s.SessionByToken(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after disabling: %v", err)
	}
	sess2, _ := policy.NewSession(u.ID, t0, "", "")
	if err := s.CreateSession(ctx, sess2); !errors.Is(err, store.ErrUserDisabled) {
		t.Errorf("new session for disabled user: %v", err)
	}
	recs, err := audit.List(ctx, db, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(recs); n != 2 || recs[n-1].Action != "user.disable" || recs[n-1].Before == nil {
		t.Errorf("audit rows %+v", recs)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	s := store.New(db, clock.NewFake(t0))
	u := newUser(t, "wangwu", []domain.Role{domain.RoleFinance}, func(in *domain.UserInput) { in.MemberID = "" })
	if err := s.CreateUser(ctx, u, store.Actor{}); err != nil {
		t.Fatal(err)
	}
	policy := domain.DefaultSessions
	sess, token := policy.NewSession(u.ID, t0, "10.0.0.9", "Mozilla")
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, gotUser, err := s.SessionByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if gotUser.ID != u.ID || got.UserID != u.ID || got.CSRFToken != sess.CSRFToken || !got.CreatedAt.Equal(t0) ||
		!got.ExpiresAt.Equal(sess.ExpiresAt) || got.Address != "10.0.0.9" || gotUser.Username != "wangwu" {
		t.Errorf("session %+v user %+v", got, gotUser)
	}
	if _, _, err := s.SessionByToken(ctx, "not-a-token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	if err := s.TouchSession(ctx, sess.IDHash, t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.SessionByToken(ctx, token); !got.LastSeenAt.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("last seen %v", got.LastSeenAt)
	}
	other, otherToken := policy.NewSession(u.ID, t0, "", "")
	if err := s.CreateSession(ctx, other); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PruneSessions(ctx, t0.Add(time.Hour), t0.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("prune = %d, %v; want the idle one", n, err)
	}
	if _, _, err := s.SessionByToken(ctx, otherToken); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pruned session still there: %v", err)
	}
	if err := s.DeleteSession(ctx, sess.IDHash); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByToken(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("signed-out session still there: %v", err)
	}
}

func TestThrottleStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	s := store.New(db, clock.NewFake(t0))
	rec := func(key, addr, reason string, at time.Time) {
		t.Helper()
		if err := s.RecordAttempt(ctx, store.Attempt{AccountKey: key, Address: addr, Success: reason == "", Reason: reason, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	rec("zhangsan", "1.1.1.1", store.ReasonInvalid, t0.Add(-2*time.Hour)) // outside the window
	rec("zhangsan", "1.1.1.1", store.ReasonInvalid, t0.Add(-50*time.Minute))
	rec("zhangsan", "1.1.1.1", store.ReasonNone, t0.Add(-40*time.Minute)) // success resets the account and the pair
	rec("zhangsan", "1.1.1.1", store.ReasonInvalid, t0.Add(-30*time.Minute))
	rec("zhangsan", "2.2.2.2", store.ReasonInvalid, t0.Add(-25*time.Minute))
	rec("zhangsan", "2.2.2.2", store.ReasonInvalid, t0.Add(-20*time.Minute))
	rec("zhangsan", "2.2.2.2", store.ReasonThrottled, t0.Add(-15*time.Minute)) // not counted
	rec("nobody", "1.1.1.1", store.ReasonInvalid, t0.Add(-10*time.Minute))
	rec("lisi", "3.3.3.3", store.ReasonInvalid, t0.Add(-9*time.Minute))
	if err := s.LiftThrottle(ctx, "lisi", "3.3.3.3", t0.Add(-8*time.Minute), store.Actor{UserID: "admin"}); err != nil {
		t.Fatal(err)
	}
	rec("lisi", "3.3.3.3", store.ReasonInvalid, t0.Add(-7*time.Minute))
	f := func(n int, ago time.Duration) domain.FailureStats {
		return domain.FailureStats{Count: n, Last: t0.Add(-ago)}
	}
	tests := []struct {
		name      string
		key, addr string
		want      domain.ThrottleStats
	}{
		{name: "pair and account since success, address all", key: "zhangsan", addr: "1.1.1.1", want: domain.ThrottleStats{
			Pair: f(1, 30*time.Minute), Account: f(3, 20*time.Minute), Address: f(3, 10*time.Minute)}},
		{name: "pair of another address", key: "zhangsan", addr: "2.2.2.2", want: domain.ThrottleStats{
			Pair: f(2, 20*time.Minute), Account: f(3, 20*time.Minute), Address: f(2, 20*time.Minute)}},
		{name: "unknown names count", key: "nobody", addr: "9.9.9.9", want: domain.ThrottleStats{Account: f(1, 10*time.Minute)}},
		{name: "a lift restarts the pair only", key: "lisi", addr: "3.3.3.3", want: domain.ThrottleStats{
			Pair: f(1, 7*time.Minute), Account: f(2, 7*time.Minute), Address: f(2, 7*time.Minute)}},
		{name: "nothing", key: "x", addr: "y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ThrottleStats(ctx, tc.key, tc.addr, domain.DefaultThrottle.Since(t0))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("stats = %+v, want %+v", got, tc.want)
			}
		})
	}
	pairs, err := s.FailingPairs(ctx, domain.DefaultThrottle.Since(t0), 10)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, p := range pairs {
		listed = append(listed, p.AccountKey+"@"+p.Address)
	}
	if want := "lisi@3.3.3.3 nobody@1.1.1.1 zhangsan@2.2.2.2 zhangsan@1.1.1.1"; strings.Join(listed, " ") != want {
		t.Errorf("failing pairs = %v, want %s", listed, want)
	}
	notice, err := s.FailureNotice(ctx, "zhangsan", 0)
	if err != nil {
		t.Fatal(err)
	}
	if notice.Count != 4 || notice.LastAddress != "2.2.2.2" || !notice.LastAt.Equal(t0.Add(-15*time.Minute)) {
		t.Errorf("notice = %+v, want 4 attempts, last from 2.2.2.2", notice)
	}
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	s := store.New(db, clock.NewFake(t0))
	for _, u := range []*domain.User{
		newUser(t, "officer1", []domain.Role{domain.RoleOfficer}, nil),
		newUser(t, "officer2", []domain.Role{domain.RoleOfficer}, func(in *domain.UserInput) { in.Units = []string{"unit-2"} }),
		newUser(t, "case_1", []domain.Role{domain.RoleCaseworker}, nil),
	} {
		if err := s.CreateUser(ctx, u, store.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		f    store.UserFilter
		want []string
	}{
		{name: "all", want: []string{"case_1", "officer1", "officer2"}},
		{name: "role", f: store.UserFilter{Role: domain.RoleOfficer}, want: []string{"officer1", "officer2"}},
		{name: "unit", f: store.UserFilter{Unit: "unit-2"}, want: []string{"officer2"}},
		{name: "query is literal", f: store.UserFilter{Query: "_"}, want: []string{"case_1"}},
		{name: "member", f: store.UserFilter{MemberID: "m-officer2"}, want: []string{"officer2"}},
		{name: "page after a username", f: store.UserFilter{Limit: 1, After: "case_1"}, want: []string{"officer1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			us, err := s.ListUsers(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.Username)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ListUsers = %v, want %v", got, tc.want)
			}
		})
	}
}
