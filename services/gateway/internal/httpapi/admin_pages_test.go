package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestAdminPagesAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.user("target", domain.RoleOfficer)
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	e.user("officer1", domain.RoleOfficer)
	who := map[string]*browser{"anonymous": e.browser()}
	for _, n := range []string{"admin1", "auditor1", "officer1"} {
		who[n] = e.browser()
		who[n].signIn(n)
	}
	tests := []struct {
		method, path string
		want         map[string]int
	}{
		{http.MethodGet, "/admin/users", map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodGet, "/admin/users/new", map[string]int{"admin1": 200}},
		{http.MethodGet, "/admin/users/" + target.ID, map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodPost, "/admin/users/" + target.ID + "/disable", map[string]int{"admin1": 303}},
	}
	for _, tc := range tests {
		for _, name := range []string{"anonymous", "officer1", "auditor1", "admin1"} {
			b := who[name]
			want, ok := tc.want[name]
			if !ok {
				want = http.StatusForbidden
			}
			var r response
			if tc.method == http.MethodGet {
				r = b.get(tc.path)
			} else {
				page := "/account"
				if name == "anonymous" {
					page = "/signin"
				}
				tok := b.token(page)
				r = b.post(tc.path, url.Values{"csrf_token": {tok}, "version": {"1"}})
			}
			if name == "anonymous" {
				if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin?next=") {
					t.Errorf("%s %s anonymous = %d %s", tc.method, tc.path, r.status, r.header.Get("Location"))
				}
				continue
			}
			if r.status != want {
				t.Errorf("%s %s as %s = %d, want %d", tc.method, tc.path, name, r.status, want)
			}
		}
	}
	got, _ := e.accounts.User(t.Context(), target.ID)
	if got.Active() {
		t.Error("admin could not disable through the page")
	}
}

func TestAdminCreateUserKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	tok := b.token("/account")
	r := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"new.case"}, "display_name": {"新经办"},
		"roles": {"caseworker"}, "units": {""}, "lang": {"zh-CN"}, "password": {"12345678"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid create = %d", r.status)
	}
	for _, want := range []string{`value="new.case"`, `value="新经办"`, `value="caseworker" checked`, `id="units-error"`, `id="password-error"`, "这个密码太常见"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(r.body, "12345678") {
		t.Error("the password was sent back")
	}
	r = b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"new.case"}, "display_name": {"新经办"},
		"roles": {"caseworker"}, "units": {"unit-1, unit-2"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("valid create = %d %s", r.status, r.body)
	}
	page := b.get(r.header.Get("Location"))
	if !strings.Contains(page.body, "已保存") || !strings.Contains(page.body, `value="unit-1, unit-2"`) {
		t.Error("created user page lacks the notice or units")
	}
	// A stale form is refused and shows the stored user.
	loc := strings.TrimSuffix(r.header.Get("Location"), "?m=saved")
	stale := b.post(loc, url.Values{"csrf_token": {tok}, "version": {"7"}, "display_name": {"改"}, "roles": {"finance"}, "lang": {"zh-CN"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "该用户刚被他人修改") {
		t.Errorf("stale save = %d", stale.status)
	}
}
