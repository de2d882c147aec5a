package domain_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestSignInValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		in           domain.SignInInput
		want         []string
		wantUsername string
	}{
		{name: "both", in: domain.SignInInput{Username: " ZhangSan", Password: "x"}, wantUsername: "zhangsan"},
		{name: "short password is not judged at sign-in", in: domain.SignInInput{Username: "a", Password: "1"}, wantUsername: "a"},
		{name: "neither", want: []string{"username:" + domain.CodeUsernameRequired, "password:" + domain.CodePasswordRequired}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := tc.in
			if got := codes(t, in.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("Validate = %v, want %v", got, tc.want)
			}
			if in.Username != tc.wantUsername {
				t.Errorf("username = %q, want %q", in.Username, tc.wantUsername)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	mk := func(edit func(*domain.User)) *domain.User {
		u, err := domain.NewUser("u-1", domain.UserInput{Username: "zhangsan", DisplayName: "张三", MemberID: "m-1", Roles: []domain.Role{domain.RoleOfficer}}, now)
		if err != nil {
			t.Fatal(err)
		}
		u.PasswordHash = fast.Hash("green tea leaves")
		edit(u)
		return u
	}
	tests := []struct {
		name       string
		policy     domain.PasswordPolicy
		user       *domain.User
		password   string
		wantErr    error
		wantRehash bool
	}{
		{name: "right password", policy: fast, user: mk(func(*domain.User) {}), password: "green tea leaves"},
		{name: "right password, old cost", policy: domain.PasswordPolicy{Params: domain.Argon2Params{Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
			user: mk(func(*domain.User) {}), password: "green tea leaves", wantRehash: true},
		{name: "wrong password", policy: fast, user: mk(func(*domain.User) {}), password: "green tea", wantErr: domain.ErrInvalidCredentials},
		{name: "unknown user", policy: fast, user: nil, password: "green tea leaves", wantErr: domain.ErrInvalidCredentials},
		{name: "disabled user, right password", policy: fast, user: mk(func(u *domain.User) { _ = u.Disable("admin", now) }),
			password: "green tea leaves", wantErr: domain.ErrInvalidCredentials},
		{name: "OIDC-only user", policy: fast, user: mk(func(u *domain.User) { u.PasswordHash = "" }), password: "", wantErr: domain.ErrInvalidCredentials},
		{name: "broken hash", policy: fast, user: mk(func(u *domain.User) { u.PasswordHash = "$argon2id$broken" }),
			password: "green tea leaves", wantErr: domain.ErrMalformedHash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rehash, err := tc.policy.Authenticate(tc.user, tc.password)
			if !errors.Is(err, tc.wantErr) || rehash != tc.wantRehash {
				t.Fatalf("Authenticate = %v, %v; want %v, %v", rehash, err, tc.wantRehash, tc.wantErr)
			}
			if err != nil && domain.Code(err) != domain.CodeSignInInvalid {
				t.Errorf("code = %q, want the one answer for every failure", domain.Code(err))
			}
		})
	}
}
