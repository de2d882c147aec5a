package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

var saNow = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func TestNewServiceAccountValidates(t *testing.T) {
	t.Parallel()
	year := saNow.Add(365 * 24 * time.Hour)
	tests := []struct {
		name  string
		in    domain.ServiceAccountInput
		field string
		code  string
	}{
		{"finance needs no units", domain.ServiceAccountInput{Name: "财务系统", Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: year}, "", ""},
		{"caseworker with units", domain.ServiceAccountInput{Name: "人社花名册", Roles: []domain.Role{domain.RoleCaseworker}, Units: []string{"u1"}, ExpiresAt: year}, "", ""},
		{"name required", domain.ServiceAccountInput{Name: "  ", Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: year}, "name", domain.CodeAccountNameRequired},
		{"name too long", domain.ServiceAccountInput{Name: strings.Repeat("名", 51), Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: year}, "name", domain.CodeAccountNameLength},
		{"roles required", domain.ServiceAccountInput{Name: "x", ExpiresAt: year}, "roles", domain.CodeRolesRequired},
		{"officer refused", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleOfficer}, ExpiresAt: year}, "roles", domain.CodeRoleNotForMachines},
		{"family refused", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFamily}, ExpiresAt: year}, "roles", domain.CodeRoleNotForMachines},
		{"admin refused", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFinance, domain.RoleAdmin}, ExpiresAt: year}, "roles", domain.CodeRoleNotForMachines},
		{"approver refused", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleApprover}, ExpiresAt: year}, "roles", domain.CodeRoleNotForMachines},
		{"service refused", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleService}, ExpiresAt: year}, "roles", domain.CodeRoleNotForMachines},
		{"unknown role", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{"root"}, ExpiresAt: year}, "roles", domain.CodeRoleUnknown},
		{"caseworker needs units", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleCaseworker}, ExpiresAt: year}, "units", domain.CodeUnitsRequired},
		{"bad unit id", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFinance}, Units: []string{"a/b"}, ExpiresAt: year}, "units", domain.CodeUnitInvalid},
		{"expiry required", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFinance}}, "expires_at", domain.CodeExpiryRequired},
		{"expiry in the past", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: saNow.Add(-time.Hour)}, "expires_at", domain.CodeExpiryPast},
		{"expiry too far", domain.ServiceAccountInput{Name: "x", Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: saNow.Add(domain.MaxTokenLife + time.Hour)}, "expires_at", domain.CodeExpiryTooFar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, token, err := domain.NewServiceAccount("id", tt.in, "admin", saNow)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if a.Version != 1 || !strings.HasPrefix(token, domain.TokenScheme+a.TokenPrefix+"_") {
					t.Fatalf("account %+v token %q", a, token)
				}
				return
			}
			var ve *fielderr.Invalid
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			for _, p := range ve.Problems {
				if p.Field == tt.field && p.Code == tt.code {
					return
				}
			}
			t.Fatalf("problems %+v, want %s %s", ve.Problems, tt.field, tt.code)
		})
	}
}

func newAccount(t *testing.T) (*domain.ServiceAccount, string) {
	t.Helper()
	a, token, err := domain.NewServiceAccount("id", domain.ServiceAccountInput{
		Name: "财务系统", Roles: []domain.Role{domain.RoleFinance}, ExpiresAt: saNow.Add(30 * 24 * time.Hour),
	}, "admin", saNow)
	if err != nil {
		t.Fatal(err)
	}
	return a, token
}

func TestTokenIsStoredOnlyAsAHash(t *testing.T) {
	t.Parallel()
	a, token := newAccount(t)
	prefix, secret, ok := domain.ParseToken(token)
	if !ok || prefix != a.TokenPrefix {
		t.Fatalf("ParseToken(%q) = %q %q %v", token, prefix, secret, ok)
	}
	if strings.Contains(string(a.SecretHash), secret) || len(a.SecretHash) != 32 {
		t.Fatalf("stored hash %x", a.SecretHash)
	}
	_, other := newAccount(t)
	if other == token {
		t.Fatal("two accounts got the same token")
	}
}

func TestParseTokenRefusesWhatIsNotOurs(t *testing.T) {
	t.Parallel()
	_, token := newAccount(t)
	for _, bad := range []string{
		"", "anx_", "Bearer " + token, strings.TrimPrefix(token, "anx_"), token + "x", token[:len(token)-1],
		"anx_0123456789ABCDEF_" + strings.Repeat("a", 43), "anx_0123456789abcde_" + strings.Repeat("a", 44),
	} {
		if _, _, ok := domain.ParseToken(bad); ok {
			t.Errorf("ParseToken(%q) accepted", bad)
		}
	}
}

func TestAuthenticateToken(t *testing.T) {
	t.Parallel()
	a, token := newAccount(t)
	_, secret, _ := domain.ParseToken(token)
	_, otherToken := newAccount(t)
	_, otherSecret, _ := domain.ParseToken(otherToken)
	var none *domain.ServiceAccount
	tests := []struct {
		name    string
		account *domain.ServiceAccount
		secret  string
		at      time.Time
		want    error
	}{
		{"right secret", a, secret, saNow, nil},
		{"wrong secret", a, otherSecret, saNow, domain.ErrTokenInvalid},
		{"empty secret", a, "", saNow, domain.ErrTokenInvalid},
		{"no such account", none, secret, saNow, domain.ErrTokenInvalid},
		{"at the expiry", a, secret, a.ExpiresAt, domain.ErrTokenExpired},
		{"a second before", a, secret, a.ExpiresAt.Add(-time.Second), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.account.Authenticate(tt.secret, tt.at); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Authenticate = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRevokeServiceAccount(t *testing.T) {
	t.Parallel()
	a, token := newAccount(t)
	_, secret, _ := domain.ParseToken(token)
	if err := a.Revoke("admin2", saNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !a.Revoked() || a.Version != 2 || a.RevokedBy != "admin2" {
		t.Fatalf("revoked account %+v", a)
	}
	if err := a.Authenticate(secret, saNow.Add(time.Hour)); !errors.Is(err, domain.ErrTokenRevoked) {
		t.Fatalf("revoked token: %v", err)
	}
	if err := a.Authenticate("wrong", saNow.Add(time.Hour)); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("a revoked account with a wrong secret says revoked: %v", err)
	}
	if err := a.Revoke("admin2", saNow.Add(2*time.Hour)); !errors.Is(err, domain.ErrAlreadyRevoked) {
		t.Fatalf("second revoke: %v", err)
	}
}

func TestNeedsTouch(t *testing.T) {
	t.Parallel()
	a, _ := newAccount(t)
	if !a.NeedsTouch(saNow) {
		t.Fatal("a never-used account does not record its first use")
	}
	a.LastUsedAt = saNow
	if a.NeedsTouch(saNow.Add(domain.TouchEvery - time.Second)) {
		t.Fatal("a use within the minute is written again")
	}
	if !a.NeedsTouch(saNow.Add(domain.TouchEvery)) {
		t.Fatal("a use a minute later is not written")
	}
}
