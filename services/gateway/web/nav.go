package web

import (
	"net/url"
	"strings"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// NavItem is one entry of the menu.
type NavItem struct {
	Key     string // catalogue key of the label
	Path    string
	Current bool
}

// navEntry is a menu entry and the roles that see it.
type navEntry struct {
	key   string
	path  string
	roles []domain.Role
}

// menu is every page a person can reach from the menu, in the order of a
// working day: one's own matters, then the queues, approvals, money, and
// administration. Each service's pages join as its API lands.
var menu = []navEntry{
	{"web.nav.my", "/my", []domain.Role{domain.RoleOfficer, domain.RoleFamily}},
	{"web.nav.leave", "/leave", []domain.Role{domain.RoleOfficer}},
	{"web.nav.grants", "/grants", []domain.Role{domain.RoleOfficer, domain.RoleFamily}},
	{"web.nav.care", "/care", []domain.Role{domain.RoleOfficer}},
	{"web.nav.family_care_mine", "/family-care", []domain.Role{domain.RoleOfficer, domain.RoleFamily}},
	{"web.nav.queue", "/work/queue", []domain.Role{domain.RoleCaseworker, domain.RoleUnitHead}},
	{"web.nav.notices", "/work/notices", []domain.Role{domain.RoleCaseworker}},
	{"web.nav.family_care", "/work/family-care", []domain.Role{domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleLeader}},
	{"web.nav.members", "/work/members", []domain.Role{domain.RoleCaseworker, domain.RoleAdmin}},
	{"web.nav.roster", "/work/roster", []domain.Role{domain.RoleCaseworker, domain.RoleAdmin}},
	{"web.nav.plans", "/admin/plans", []domain.Role{domain.RoleAdmin, domain.RoleCaseworker}},
	{"web.nav.health_rounds", "/work/health-check-rounds", []domain.Role{domain.RoleCaseworker, domain.RoleMedicalCaseworker}},
	{"web.nav.compliance", "/work/health-checks", []domain.Role{domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleAdmin}},
	{"web.nav.quotas", "/work/recuperation-quotas", []domain.Role{domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleAdmin}},
	{"web.nav.care_admin", "/admin/care", []domain.Role{domain.RoleAdmin, domain.RoleCaseworker}},
	{"web.nav.family_care_admin", "/admin/family-care", []domain.Role{domain.RoleAdmin}},
	{"web.nav.approvals", "/approvals", []domain.Role{domain.RoleApprover, domain.RoleUnitHead}},
	{"web.nav.overview", "/overview", []domain.Role{domain.RoleApprover, domain.RoleLeader, domain.RoleUnitHead}},
	{"web.nav.finance", "/finance", []domain.Role{domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin}},
	{"web.nav.compensation", "/finance/compensation", []domain.Role{domain.RoleFinance}},
	{"web.nav.audit", "/audit", []domain.Role{domain.RoleAuditor, domain.RoleAdmin}},
	{"web.nav.users", "/admin/users", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
	{"web.nav.units", "/admin/units", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
	{"web.nav.funds", "/admin/funds", []domain.Role{domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor}},
	{"web.nav.programs", "/admin/programs", []domain.Role{domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor}},
	{"web.nav.parameters", "/admin/parameters", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
	{"web.nav.calendar", "/admin/calendar", []domain.Role{domain.RoleAdmin}},
	{"web.nav.leave_admin", "/admin/leave", []domain.Role{domain.RoleAdmin}},
	{"web.nav.deadletters", "/admin/dead-letters", []domain.Role{domain.RoleAdmin}},
	{"web.nav.deliveries", "/admin/deliveries", []domain.Role{domain.RoleAdmin}},
	{"web.nav.webhooks", "/admin/webhooks", []domain.Role{domain.RoleAdmin}},
	{"web.nav.throttles", "/admin/sign-in-throttles", []domain.Role{domain.RoleAdmin}},
	{"web.nav.service_accounts", "/admin/service-accounts", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
	// caseworkers reach 测算 from their queue, which keeps their menu short
	{"web.nav.calculators", "/calculators", []domain.Role{domain.RoleApprover}},
}

// NavFor returns the menu for roles, marking the entry that current (a
// request path) is under. Everyone who signs in has "my account" last.
func NavFor(roles []domain.Role, current string) []NavItem {
	var out []NavItem
	for _, e := range menu {
		if !domain.HasRole(roles, e.roles...) {
			continue
		}
		out = append(out, NavItem{
			Key:     e.key,
			Path:    e.path,
			Current: current == e.path || strings.HasPrefix(current, e.path+"/"),
		})
	}
	out = append(out, NavItem{Key: "web.nav.account", Path: "/account", Current: current == "/account" || strings.HasPrefix(current, "/account/")})
	return out
}

// SafeNext returns next when it is a path on this site, else "/". Sign-in
// and the language switch redirect to a "next" parameter; accepting
// "//evil.example" or "https://…" there would make the gateway an open
// redirect for phishing.
func SafeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\r\n\t\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
