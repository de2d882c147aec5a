package domain

import "slices"

// Role is what a user may do. The values are the same strings as pkg/auth's
// roles, so the gateway can copy them into the identity token unchanged;
// the domain keeps its own type because it may not import adapters.
type Role string

// The roles a person can hold (ARCHITECTURE.md "Users").
const (
	RoleOfficer    Role = "officer"
	RoleFamily     Role = "family"
	RoleCaseworker Role = "caseworker"
	RoleUnitHead   Role = "unit_head"
	RoleApprover   Role = "approver"
	RoleFinance    Role = "finance"
	RoleAuditor    Role = "auditor"
	RoleAdmin      Role = "admin"
	// RoleService is held only by the services' own machine identities,
	// never by a person: a user record with it is refused.
	RoleService Role = "service"
	// RoleMedicalCaseworker works the health checks of their units and
	// alone records and reads the results.
	RoleMedicalCaseworker Role = "medical_caseworker"
	// RoleLeader is the committee's leadership: it reads the work overview
	// (工作概览) of every unit, as approvers do, and changes nothing.
	RoleLeader Role = "leader"
)

// PersonRoles lists the roles a user account may hold, in the order pages
// show them.
var PersonRoles = []Role{
	RoleOfficer, RoleFamily, RoleCaseworker, RoleUnitHead,
	RoleApprover, RoleFinance, RoleAuditor, RoleAdmin, RoleMedicalCaseworker, RoleLeader,
}

// Known reports whether r is a role of the system.
func (r Role) Known() bool { return r == RoleService || slices.Contains(PersonRoles, r) }

// MessageKey is the catalogue key of the role's display name.
func (r Role) MessageKey() string { return "gateway.role." + string(r) }

// needsMember reports whether a holder of r must be linked to a member of
// the registry: an officer acts on their own record, a family member on the
// record of the officer whose family they are. Without the link the services
// could not decide which cases are "their own".
func (r Role) needsMember() bool { return r == RoleOfficer || r == RoleFamily }

// needsUnits reports whether a holder of r works on some units only: a
// caseworker of the 政治部 of one organ, a unit head of one unit. The other
// staff roles are county-wide.
func (r Role) needsUnits() bool {
	return r == RoleCaseworker || r == RoleUnitHead || r == RoleMedicalCaseworker
}

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
