package domain

import (
	"slices"

	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Role is what a user may do, with the gateway's own labels
// ("gateway.role."+name, the words its pages use). The names and the sets
// are pkg/roles's, so the gateway copies them into the identity token
// unchanged.
type Role string

// The roles a person can hold (ARCHITECTURE.md "Users"); pkg/roles says
// what each may do.
const (
	RoleOfficer    = Role(roles.Officer)
	RoleFamily     = Role(roles.Family)
	RoleCaseworker = Role(roles.Caseworker)
	RoleUnitHead   = Role(roles.UnitHead)
	RoleApprover   = Role(roles.Approver)
	RoleFinance    = Role(roles.Finance)
	RoleAuditor    = Role(roles.Auditor)
	RoleAdmin      = Role(roles.Admin)
	// RoleService is held only by the services' own machine identities,
	// never by a person: a user record with it is refused.
	RoleService           = Role(roles.Service)
	RoleMedicalCaseworker = Role(roles.MedicalCaseworker)
	RoleLeader            = Role(roles.Leader)
)

// PersonRoles lists the roles a user account may hold, in the order pages
// show them (roles.People).
var PersonRoles = fromRoles(roles.People())

func fromRoles(rs []roles.Role) []Role {
	out := make([]Role, len(rs))
	for i, r := range rs {
		out[i] = Role(r)
	}
	return out
}

// Known reports whether r is a role of the system.
func (r Role) Known() bool { return roles.Role(r).Valid() }

// MessageKey is the catalogue key of the role's display name.
func (r Role) MessageKey() string { return "gateway.role." + string(r) }

// needsMember reports whether a holder of r must be linked to a member of
// the registry (roles.MemberBound): without the link the services could not
// decide which cases are "their own".
func (r Role) needsMember() bool { return slices.Contains(roles.MemberBound(), roles.Role(r)) }

// needsUnits reports whether a holder of r works on some units only
// (roles.UnitBound); the other staff roles are county-wide.
func (r Role) needsUnits() bool { return slices.Contains(roles.UnitBound(), roles.Role(r)) }

// HasRole reports whether roles holds any of want.
func HasRole(roles []Role, want ...Role) bool {
	for _, w := range want {
		if slices.Contains(roles, w) {
			return true
		}
	}
	return false
}

// HomePath is the first page a user with these roles sees after sign-in:
// the page of the work they do most, so that a phone user does not have to
// navigate. Staff roles win over officer/family because a caseworker who is
// also an officer signs in to work.
func HomePath(roles []Role) string {
	switch {
	case HasRole(roles, RoleAdmin):
		return "/admin/users"
	case HasRole(roles, RoleCaseworker):
		return "/work/queue"
	case HasRole(roles, RoleApprover, RoleUnitHead):
		return "/approvals"
	case HasRole(roles, RoleFinance):
		return "/finance"
	case HasRole(roles, RoleAuditor):
		return "/audit"
	case HasRole(roles, RoleMedicalCaseworker):
		return "/work/health-check-rounds"
	case HasRole(roles, RoleLeader):
		return "/overview"
	default:
		return "/my"
	}
}
