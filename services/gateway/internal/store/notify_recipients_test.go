package store_test

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// The recipients of notify's audiences: a member's accounts (officer and
// family), a role within a unit, a role everywhere; disabled accounts
// never.
func TestRecipientsOfAudiences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := store.New(newTestDB(t), clock.NewFake(t0))
	add := func(u *domain.User) *domain.User {
		t.Helper()
		if err := s.CreateUser(ctx, u, store.Actor{UserID: "admin"}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	officer := add(newUser(t, "officer", []domain.Role{domain.RoleOfficer}, func(in *domain.UserInput) { in.MemberID = "m1" }))
	family := add(newUser(t, "family", []domain.Role{domain.RoleFamily}, func(in *domain.UserInput) { in.MemberID = "m1" }))
	cw1 := add(newUser(t, "cw1", []domain.Role{domain.RoleCaseworker}, func(in *domain.UserInput) { in.MemberID = ""; in.Units = []string{"u1", "u2"} }))
	add(newUser(t, "cw3", []domain.Role{domain.RoleCaseworker}, func(in *domain.UserInput) { in.MemberID = ""; in.Units = []string{"u3"} }))
	chair := add(newUser(t, "chair", []domain.Role{domain.RoleApprover}, func(in *domain.UserInput) { in.MemberID = ""; in.Units = nil }))
	gone := add(newUser(t, "gone", []domain.Role{domain.RoleCaseworker}, func(in *domain.UserInput) { in.MemberID = ""; in.Units = []string{"u1"} }))
	if _, err := s.UpdateUser(ctx, gone.ID, gone.Version, "user.disable", store.Actor{UserID: "admin"}, func(u *domain.User) error {
		u.DisabledAt = t0
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		aud  []store.Audience
		want []string
	}{
		{"a member's accounts", []store.Audience{{Member: "m1"}}, []string{officer.ID, family.ID}},
		{"the officer alone", []store.Audience{{Member: "m1", Role: "officer"}}, []string{officer.ID}},
		{"the caseworkers of a unit, the disabled left out", []store.Audience{{Role: "caseworker", Unit: "u1"}}, []string{cw1.ID}},
		{"the committee", []store.Audience{{Role: "approver"}}, []string{chair.ID}},
		{"one account", []store.Audience{{User: chair.ID}}, []string{chair.ID}},
		{"several audiences, each person once", []store.Audience{{Role: "caseworker", Unit: "u1"}, {Role: "caseworker", Unit: "u2"}, {Member: "m1"}},
			[]string{officer.ID, family.ID, cw1.ID}},
		{"nobody", []store.Audience{{Role: "unit_head", Unit: "u1"}}, nil},
	}
	for _, tc := range cases {
		got, err := s.Recipients(ctx, tc.aud)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.UserID)
			if r.Lang != "zh-CN" {
				t.Errorf("%s: lang %q", tc.name, r.Lang)
			}
		}
		slices.Sort(ids)
		slices.Sort(tc.want)
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
}

// The fifth wrong password since the last success puts one
// account.sign_in_failures in the outbox (and the twentieth another), in
// the attempt's own transaction; a name that is no account puts none.
func TestRepeatedFailedSignInsAreTold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	s := store.New(db, clock.NewFake(t0))
	u := newUser(t, "zhangsan", []domain.Role{domain.RoleOfficer}, nil)
	if err := s.CreateUser(ctx, u, store.Actor{UserID: "admin"}); err != nil {
		t.Fatal(err)
	}
	fail := func(i int, user string) {
		t.Helper()
		if err := s.RecordAttempt(ctx, store.Attempt{AccountKey: "zhangsan", Address: "10.0.0.9", UserID: user, Reason: store.ReasonInvalid,
			At: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	events := func() int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM outbox WHERE type = 'account.sign_in_failures'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 4 {
		fail(i, u.ID)
	}
	if n := events(); n != 0 {
		t.Fatalf("%d events after 4 failures", n)
	}
	fail(4, u.ID)
	if n := events(); n != 1 {
		t.Fatalf("%d events after 5 failures, want 1", n)
	}
	for i := 5; i < 19; i++ {
		fail(i, u.ID)
	}
	if n := events(); n != 1 {
		t.Fatalf("%d events after 19 failures, want still 1", n)
	}
	fail(19, u.ID)
	if n := events(); n != 2 {
		t.Fatalf("%d events after 20 failures, want 2", n)
	}
	var raw []byte
	if err := db.Get(&raw, `SELECT convert_to(convert_from(envelope, 'UTF8')::jsonb->>'data', 'UTF8') FROM outbox WHERE type = 'account.sign_in_failures' ORDER BY seq LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	schema := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "api", "events", "gateway.account.sign_in_failures.v1.json")
	bustest.CheckPublishes(t, bustest.CompileSchema(t, schema), raw)
}
