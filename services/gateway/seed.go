package gateway

import (
	"context"
	"errors"
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// DemoUser is one account `anxin seed demo` wants.
type DemoUser struct {
	Username    string
	DisplayName string
	Roles       []auth.Role
	// MemberID links an officer to their member record, or a family user
	// to the officer whose family they are. Required for those two roles.
	MemberID string
	// Units are the unit ids a caseworker or unit head works on (required
	// for them); officers may have their own unit so their report form
	// needs no unit choice.
	Units []string
	// Password is used when not empty (tests); otherwise a random one is
	// made and returned.
	Password string
}

// Credential is a seeded account and its password, to print once. An
// account that already existed is left alone and has Created false and no
// Password.
type Credential struct {
	Username string
	Password string
	Roles    []auth.Role
	Created  bool
}

// ErrDemoInProduction refuses demo users in production.
var ErrDemoInProduction = errors.New("demo users are refused when ANXIN_ENV=production")

// SeedUsers creates the demo users that do not exist yet in the gateway's
// schema (migrating it first, so it works before the service has ever
// run) and returns their credentials, in order. Running it again creates
// nothing and reveals no password. It refuses to run in production.
func SeedUsers(ctx context.Context, deps *app.Deps, cfg Config, users []DemoUser) ([]Credential, error) {
	if deps.Config.Env == app.EnvProduction {
		return nil, ErrDemoInProduction
	}
	if cfg.Schema == "" {
		cfg.Schema = Name
	}
	db, err := pg.Open(ctx, pg.Config{URL: deps.Config.DatabaseURL, Schema: cfg.Schema, MaxOpenConns: 2})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := pg.Migrate(ctx, db, cfg.Schema, bus.Migrations(), audit.MigrationSet(), store.Migrations()); err != nil {
		return nil, err
	}
	acc := accounts.New(store.New(db, deps.Clock), deps.Clock, accounts.Policies{}, deps.Log)
	seeds := make([]accounts.SeedUser, 0, len(users))
	for _, u := range users {
		roles := make([]domain.Role, 0, len(u.Roles))
		for _, r := range u.Roles {
			roles = append(roles, domain.Role(r))
		}
		seeds = append(seeds, accounts.SeedUser{
			Username: u.Username, DisplayName: u.DisplayName, Roles: roles,
			MemberID: u.MemberID, Units: u.Units, Password: u.Password,
		})
	}
	creds, err := acc.Seed(ctx, seeds)
	out := make([]Credential, 0, len(creds))
	for i, c := range creds {
		out = append(out, Credential{Username: c.Username, Password: c.Password, Roles: users[i].Roles, Created: c.Created})
	}
	if err != nil {
		return out, fmt.Errorf("seed demo users: %w", err)
	}
	return out, nil
}

// DemoUsers is the standard set of demo accounts, one or more per role:
// an officer and a family member (linked to officerMember and to the
// officer whose family familyOf names), a caseworker and a unit head for
// units, two approvers (grants above the threshold need two), finance, an
// auditor and an administrator. The seed passes the ids it created in
// enrollment.
func DemoUsers(units []string, officerMember, familyOf string) []DemoUser {
	var home []string
	if len(units) > 0 {
		home = units[:1]
	}
	return []DemoUser{
		{Username: "officer", DisplayName: "张警官", Roles: []auth.Role{auth.RoleOfficer}, MemberID: officerMember, Units: home},
		{Username: "family", DisplayName: "李家属", Roles: []auth.Role{auth.RoleFamily}, MemberID: familyOf, Units: home},
		{Username: "caseworker", DisplayName: "王经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: units},
		{Username: "unithead", DisplayName: "赵所长", Roles: []auth.Role{auth.RoleUnitHead}, Units: home},
		{Username: "approver1", DisplayName: "陈书记", Roles: []auth.Role{auth.RoleApprover}},
		{Username: "approver2", DisplayName: "刘副书记", Roles: []auth.Role{auth.RoleApprover}},
		{Username: "finance", DisplayName: "孙会计", Roles: []auth.Role{auth.RoleFinance}},
		{Username: "auditor", DisplayName: "周审计", Roles: []auth.Role{auth.RoleAuditor}},
		{Username: "admin", DisplayName: "吴管理员", Roles: []auth.Role{auth.RoleAdmin}},
		{Username: "leader", DisplayName: "郑书记", Roles: []auth.Role{auth.RoleLeader}},
	}
}
