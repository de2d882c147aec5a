// Package roles names what a person (or a service) may do in Anxin: the
// role names the gateway grants and carries in the identity token, and the
// sets of roles the rules speak of. It is plain Go (its only import is the
// message catalogue, for the roles' labels), so a domain compares roles
// with these names rather than spelling the strings again; pkg/auth, which
// verifies tokens and brings HTTP with it, uses the same type.
package roles

import (
	"errors"
	"fmt"
	"slices"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// Role is what a person (or a service) may do. Roles are granted by the
// gateway and carried in the identity token; each service decides what a
// role allows on its own objects.
type Role string

// The roles. Their labels are catalogue keys "role."+name.
const (
	// Officer is a serving officer (干警): their own cases and family.
	Officer Role = "officer"
	// Family is an officer's family member: cases they are party to.
	Family Role = "family"
	// Caseworker works cases of the units they are assigned to.
	Caseworker Role = "caseworker"
	// UnitHead approves at unit level for their own units.
	UnitHead Role = "unit_head"
	// Approver approves grants and leave at committee level.
	Approver Role = "approver"
	// Finance disburses, reconciles and exports the fund ledger.
	Finance Role = "finance"
	// Auditor reads the audit trail; changes nothing.
	Auditor Role = "auditor"
	// Admin manages users, units, programs and rates.
	Admin Role = "admin"
	// Service is another Anxin service calling on its own behalf, not a
	// person's; a user account never holds it.
	Service Role = "service"
	// MedicalCaseworker works the health checks of their units and is the
	// only staff who records and reads results (sensitive health data).
	MedicalCaseworker Role = "medical_caseworker"
	// Leader is a member of the committee's leadership (委领导): reads the
	// work overview (工作概览) of every unit; changes nothing else.
	Leader Role = "leader"
)

// ErrUnknown is returned by Parse for a name that is no role.
var ErrUnknown = errors.New("unknown role")

// All lists every role, in the order pages show them.
func All() []Role {
	return []Role{Officer, Family, Caseworker, UnitHead, Approver,
		Finance, Auditor, Admin, Service, MedicalCaseworker, Leader}
}

// People lists the roles a person's account may hold (all but Service), in
// the order pages show them.
func People() []Role {
	return []Role{Officer, Family, Caseworker, UnitHead, Approver,
		Finance, Auditor, Admin, MedicalCaseworker, Leader}
}

// MemberBound lists the roles that act for one member of the registry: an
// officer on their own record, a family member on the record of the officer
// whose family they are. A holder must be linked to that member.
func MemberBound() []Role { return []Role{Officer, Family} }

// UnitBound lists the staff roles that work on some units only (a
// caseworker of one organ's 政治部, the head of one unit); a holder is
// assigned units. The other staff roles are county-wide.
func UnitBound() []Role { return []Role{Caseworker, UnitHead, MedicalCaseworker} }

// Committee lists the county-level roles that read every unit's work: the
// approvers and the committee's leaders.
func Committee() []Role { return []Role{Approver, Leader} }

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return slices.Contains(All(), r) }

// Parse returns the role named s, or an error wrapping ErrUnknown. Names
// are exact: roles come from code and configuration, not from people typing.
func Parse(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknown, s)
}

// Has reports whether held holds any of want.
func Has(held []Role, want ...Role) bool {
	for _, w := range want {
		if slices.Contains(held, w) {
			return true
		}
	}
	return false
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
