package httpapi_test

import (
	"net/http"
	"net/url"
	"strconv"
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
	// Units the registry does not list stay ticked, named by their id.
	if !strings.Contains(page.body, "已保存") || !strings.Contains(page.body, `name="units" value="unit-1" checked`) ||
		!strings.Contains(page.body, `name="units" value="unit-2" checked`) || !strings.Contains(page.body, `name="units" value="u-1">`) {
		t.Error("created user page lacks the notice or units")
	}
	// A stale form is refused and shows the stored user.
	loc := strings.TrimSuffix(r.header.Get("Location"), "?m=saved")
	stale := b.post(loc, url.Values{"csrf_token": {tok}, "version": {"7"}, "display_name": {"改"}, "roles": {"finance"}, "lang": {"zh-CN"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "该用户刚被他人修改") {
		t.Errorf("stale save = %d", stale.status)
	}
}

// TestAdminUserFormNamesUnitsAndMembers: the user form offers the units as
// checkboxes named from the registry, finds the member to link by name
// (a GET form with radio results), names the linked member, and keeps
// every choice when the form is refused.
func TestAdminUserFormNamesUnitsAndMembers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	b := e.browser()
	b.signIn("admin1")
	form := b.get("/admin/users/new")
	if form.status != http.StatusOK || !strings.Contains(form.body, `<input type="checkbox" name="units" value="u-1"> 城关派出所`) ||
		!strings.Contains(form.body, `id="member_q"`) {
		t.Fatalf("new user form = %d", form.status)
	}
	found := b.get("/admin/users/new?member_q=" + url.QueryEscape("张"))
	if !strings.Contains(found.body, `name="member_pick" value="m-1"`) || !strings.Contains(found.body, "张三 · 110105********002X · 城关派出所") {
		t.Fatalf("member search shows no result: %d", found.status)
	}
	tok := b.token("/account")
	// Refused (no name): the units ticked, the member chosen and the search stay.
	bad := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"wang.officer"}, "display_name": {""}, "roles": {"officer", "caseworker"},
		"units": {"u-1"}, "member_q": {"张"}, "member_pick": {"m-1"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("refused user = %d", bad.status)
	}
	for _, want := range []string{`name="units" value="u-1" checked`, `name="member_pick" value="m-1" checked`, `id="display_name-error"`, `value="wang.officer"`, "已关联：张三"} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	good := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"wang.officer"}, "display_name": {"王警官"}, "roles": {"officer", "caseworker"},
		"units": {"u-1"}, "member_id": {""}, "member_pick": {"m-1"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if good.status != http.StatusSeeOther {
		t.Fatalf("create = %d", good.status)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(good.header.Get("Location"), "/admin/users/"), "?m=saved")
	u, err := e.accounts.User(t.Context(), id)
	if err != nil || u.MemberID != "m-1" || len(u.Units) != 1 || u.Units[0] != "u-1" {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	page := b.get("/admin/users/" + id)
	if !strings.Contains(page.body, `id="linked-member">已关联：张三（110105********002X）`) || !strings.Contains(page.body, `name="units" value="u-1" checked`) {
		t.Error("user page does not name the linked member and unit")
	}
	// A member id the registry does not show is said so.
	typed := b.post("/admin/users/"+id, url.Values{"csrf_token": {tok}, "version": {strconv.FormatInt(u.Version, 10)}, "display_name": {""},
		"roles": {"officer"}, "member_id": {"m-404"}, "units": {"u-1"}, "lang": {"zh-CN"}})
	if typed.status != http.StatusUnprocessableEntity || !strings.Contains(typed.body, "在您可见的人员中找不到此编号") || !strings.Contains(typed.body, `value="m-404"`) {
		t.Errorf("unknown member id = %d", typed.status)
	}
	// Auditors read the names but get no search.
	a := e.browser()
	a.signIn("auditor1")
	if r := a.get("/admin/users/" + id + "?member_q=" + url.QueryEscape("张")); r.status != http.StatusOK || strings.Contains(r.body, `name="member_pick"`) {
		t.Errorf("auditor view = %d", r.status)
	}
}
