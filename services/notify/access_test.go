package notify_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestAccessPerRole walks every route as each role: a person's own inbox
// and settings are everyone's (a service identity has none), the failed
// deliveries are the admin's alone, and no token is 401.
func TestAccessPerRole(t *testing.T) {
	h := newHarness(t)
	service := auth.ServiceIdentity("grants")
	roles := map[string]*auth.Identity{"officer": &officer1, "family": &family1, "caseworker": &cw1, "unit_head": &head1,
		"approver": &chair, "admin": &admin, "service": &service,
		"finance": {UserID: "fin", Roles: []auth.Role{auth.RoleFinance}}, "auditor": {UserID: "aud", Roles: []auth.Role{auth.RoleAuditor}}}
	const missing = "/admin/deliveries/0193a3b4-0000-7000-8000-000000000001/replay"
	routes := []struct {
		method, path string
		body         any
		// allowed roles get this status; others 403
		ok      int
		allowed []string
	}{
		{"GET", "/inbox", nil, 200, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"GET", "/inbox/unread", nil, 200, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"POST", "/inbox/read-all", nil, 200, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"POST", "/inbox/0193a3b4-0000-7000-8000-000000000001/read", nil, 404, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"GET", "/preferences", nil, 200, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"PUT", "/preferences", map[string]any{"email": "x@county.example"}, 200, []string{"officer", "family", "caseworker", "unit_head", "approver", "admin", "finance", "auditor"}},
		{"GET", "/admin/users/officer1/preferences", nil, 200, []string{"admin"}},
		{"PUT", "/admin/users/u-new/preferences", map[string]any{"mobile": "13800138000"}, 200, []string{"admin"}},
		{"GET", "/admin/deliveries", nil, 200, []string{"admin"}},
		{"POST", missing, nil, 404, []string{"admin"}},
	}
	for _, r := range routes {
		for name, id := range roles {
			want := http.StatusForbidden
			for _, a := range r.allowed {
				if a == name {
					want = r.ok
				}
			}
			if w := h.do(id, r.method, r.path, r.body); w.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %s", r.method, r.path, name, w.Code, want, w.Body)
			}
		}
		if w := h.do(nil, r.method, r.path, r.body); w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d", r.method, r.path, w.Code)
		}
	}
	// What the admin set is the person's own.
	newcomer := auth.Identity{UserID: "u-new", Roles: []auth.Role{auth.RoleOfficer}, MemberID: "m9"}
	if w := h.do(&newcomer, "GET", "/preferences", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "13800138000") {
		t.Errorf("the admin's setting is not the person's: %d %s", w.Code, w.Body)
	}
}
