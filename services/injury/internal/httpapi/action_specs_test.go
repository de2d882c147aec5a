package httpapi

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// TestEveryActionHasASpec keeps the HTTP layer in step with the state
// machine: a new action without a request spec would answer 404.
func TestEveryActionHasASpec(t *testing.T) {
	t.Parallel()
	for _, a := range domain.Actions() {
		spec, ok := actionSpecs[a]
		if !ok {
			t.Errorf("action %s has no request spec", a)
			continue
		}
		var fe fieldErrors
		if cmd := spec.build(&actionBody{}, &fe); cmd.Action() != a {
			t.Errorf("spec of %s builds %s", a, cmd.Action())
		}
	}
	if len(actionSpecs) != len(domain.Actions()) {
		t.Errorf("%d specs for %d actions", len(actionSpecs), len(domain.Actions()))
	}
}

// TestRolesMatchAuth checks the domain's copy of the role names against
// pkg/auth, which the domain may not import.
func TestRolesMatchAuth(t *testing.T) {
	t.Parallel()
	pairs := map[domain.Role]auth.Role{
		domain.RoleOfficer: auth.RoleOfficer, domain.RoleFamily: auth.RoleFamily, domain.RoleCaseworker: auth.RoleCaseworker,
		domain.RoleUnitHead: auth.RoleUnitHead, domain.RoleApprover: auth.RoleApprover, domain.RoleAdmin: auth.RoleAdmin,
	}
	for d, a := range pairs {
		if string(d) != string(a) {
			t.Errorf("domain role %q, auth role %q", d, a)
		}
	}
}
