package auth

import (
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// Role is what a person (or a service) may do. Roles are granted by the
// gateway and carried in the identity token; each service decides what a
// role allows on its own objects.
type Role string

// The roles. Their labels are catalogue keys "role."+name.
const (
	// RoleOfficer is a serving officer (干警): their own cases and family.
	RoleOfficer Role = "officer"
	// RoleFamily is an officer's family member: cases they are party to.
	RoleFamily Role = "family"
	// RoleCaseworker works cases of the units they are assigned to.
	RoleCaseworker Role = "caseworker"
	// RoleUnitHead approves at unit level for their own units.
	RoleUnitHead Role = "unit_head"
	// RoleApprover approves grants and leave at committee level.
	RoleApprover Role = "approver"
	// RoleFinance disburses, reconciles and exports the fund ledger.
	RoleFinance Role = "finance"
	// RoleAuditor reads the audit trail; changes nothing.
	RoleAuditor Role = "auditor"
	// RoleAdmin manages users, units, programs and rates.
	RoleAdmin Role = "admin"
	// RoleService is another Anxin service calling on its own behalf, not a
	// person's (see ServiceIdentity).
	RoleService Role = "service"
	// RoleMedicalCaseworker works the health checks of their units and is
	// the only staff who records and reads results (sensitive health data).
	RoleMedicalCaseworker Role = "medical_caseworker"
	// RoleLeader is a member of the committee's leadership (委领导): reads
	// the work overview (工作概览) of every unit; changes nothing else.
	RoleLeader Role = "leader"
)

// Roles lists every role, in the order pages show them.
func Roles() []Role {
	return []Role{RoleOfficer, RoleFamily, RoleCaseworker, RoleUnitHead, RoleApprover,
		RoleFinance, RoleAuditor, RoleAdmin, RoleService, RoleMedicalCaseworker, RoleLeader}
}

// Valid reports whether r is one of the Role constants.
func (r Role) Valid() bool {
	switch r {
	case RoleOfficer, RoleFamily, RoleCaseworker, RoleUnitHead, RoleApprover,
		RoleFinance, RoleAuditor, RoleAdmin, RoleService, RoleMedicalCaseworker, RoleLeader:
		return true
	}
	return false
}

// ParseRole returns the role named s, or ErrUnknownRole. Names are exact:
// roles come from code and configuration, not from people typing.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownRole, s)
}

// MessageKey is the catalogue key of the role's label.
func (r Role) MessageKey() string { return "role." + string(r) }

// Label is the role's name for people, in lang.
func (r Role) Label(lang i18n.Lang) string { return i18n.T(lang, r.MessageKey()) }

func init() {
	i18n.Register(map[string]i18n.Text{
		"role.officer":    {ZH: "干警", EN: "Officer"},
		"role.family":     {ZH: "家属", EN: "Family member"},
		"role.caseworker": {ZH: "经办人", EN: "Caseworker"},
		"role.unit_head":  {ZH: "单位负责人", EN: "Unit head"},
		"role.approver":   {ZH: "审批人", EN: "Approver"},
		"role.finance":    {ZH: "财务", EN: "Finance"},
		"role.auditor":    {ZH: "审计员", EN: "Auditor"},
		"role.admin":      {ZH: "系统管理员", EN: "Administrator"},
		"role.service":    {ZH: "系统服务", EN: "System service"},

		"role.medical_caseworker": {ZH: "医务经办人", EN: "Medical caseworker"},
		"role.leader":             {ZH: "委领导", EN: "Committee leader"},
	})
}
