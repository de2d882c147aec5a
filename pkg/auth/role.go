package auth

import "github.com/anxin-welfare/anxin/pkg/roles"

// Role is what a person (or a service) may do: pkg/roles's type, named here
// too so that callers of the token's Identity need not import both. The
// domains, which may not import this package (it brings gin), use pkg/roles.
type Role = roles.Role

// The roles, as pkg/roles names them (its doc says what each may do).
const (
	RoleOfficer           = roles.Officer
	RoleFamily            = roles.Family
	RoleCaseworker        = roles.Caseworker
	RoleUnitHead          = roles.UnitHead
	RoleApprover          = roles.Approver
	RoleFinance           = roles.Finance
	RoleAuditor           = roles.Auditor
	RoleAdmin             = roles.Admin
	RoleService           = roles.Service
	RoleMedicalCaseworker = roles.MedicalCaseworker
	RoleLeader            = roles.Leader
)
