package gateway_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestAdminUserPagesAgainstRealServices walks the administration area's
// user form (pages/admin) against the real member registry, where it used
// to run against a fake one: the units offered are the registry's, named
// by their path; the member search finds the registry's members; a refused
// form keeps everything typed; a linked member is named; a member id the
// registry does not show to the administrator is said so; and the search
// button saves nothing.
func TestAdminUserPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	// The registry shows an administrator the members of their units: the
	// seeded administrator makes one of the unit's.
	st, _, body := journeySignIn(t, s.gateway, "admin").post("/admin/users", url.Values{"username": {"unit.admin"}, "display_name": {"单位管理员"},
		"roles": {"admin"}, "units": {s.unit}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if st != http.StatusSeeOther {
		t.Fatalf("create the unit's administrator = %d %s", st, snippet(body))
	}
	admin := signedInWith(t, s.gateway, "unit.admin", "a long good phrase")
	unitLabel := "县委政法委 / 县公安局"
	userID := func(loc string) string {
		return strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/users/"), "?m=saved")
	}

	t.Run("a refused creation keeps what was typed", func(t *testing.T) {
		st, _, body := admin.post("/admin/users", url.Values{"username": {"new.case"}, "display_name": {"新经办"},
			"roles": {"caseworker"}, "units": {""}, "lang": {"zh-CN"}, "password": {"12345678"}})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("invalid create = %d %s", st, snippet(body))
		}
		for _, want := range []string{`value="new.case"`, `value="新经办"`, `value="caseworker" checked`, `id="units-error"`, `id="password-error"`, "这个密码太常见"} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
		if strings.Contains(body, "12345678") {
			t.Error("the password was sent back")
		}
		st, loc, body := admin.post("/admin/users", url.Values{"username": {"new.case"}, "display_name": {"新经办"},
			"roles": {"caseworker"}, "units": {"unit-1, unit-2"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
		if st != http.StatusSeeOther {
			t.Fatalf("valid create = %d %s", st, snippet(body))
		}
		_, page := admin.get(loc)
		// Units the registry does not list stay ticked, named by their id;
		// the registry's are offered.
		if !strings.Contains(page, "已保存") || !strings.Contains(page, `name="units" value="unit-1" checked`) ||
			!strings.Contains(page, `name="units" value="unit-2" checked`) || !strings.Contains(page, `name="units" value="`+s.unit+`">`) {
			t.Errorf("created user page lacks the notice or units: %s", snippet(page))
		}
		// A stale form is refused and shows the stored user.
		st, _, body = admin.post(strings.TrimSuffix(loc, "?m=saved"), url.Values{"version": {"7"}, "display_name": {"改"}, "roles": {"finance"}, "lang": {"zh-CN"}})
		if st != http.StatusConflict || !strings.Contains(body, "该用户刚被他人修改") {
			t.Errorf("stale save = %d %s", st, snippet(body))
		}
	})

	t.Run("the form names the registry's units and members", func(t *testing.T) {
		st, form := admin.get("/admin/users/new")
		if st != http.StatusOK || !strings.Contains(form, `<input type="checkbox" name="units" value="`+s.unit+`"> `+unitLabel) ||
			!strings.Contains(form, `id="member_q"`) {
			t.Fatalf("new user form = %d %s", st, snippet(form))
		}
		_, _, found := admin.post("/admin/users", url.Values{"action": {"search"}, "member_q": {"张"}, "lang": {"zh-CN"}})
		result := regexp.MustCompile(`name="member_pick" value="` + s.member + `"> 张伟 · (110105\*+\w{4}) · ` + unitLabel).FindStringSubmatch(found)
		if result == nil {
			t.Fatalf("member search shows no result: %s", snippet(found))
		}
		masked := result[1]
		// Refused (no name): the units ticked, the member chosen and the search stay.
		st, _, bad := admin.post("/admin/users", url.Values{"username": {"wang.officer"}, "display_name": {""}, "roles": {"officer", "caseworker"},
			"units": {s.unit}, "member_q": {"张"}, "member_pick": {s.member}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("refused user = %d %s", st, snippet(bad))
		}
		for _, want := range []string{`name="units" value="` + s.unit + `" checked`, `name="member_pick" value="` + s.member + `" checked`,
			`id="display_name-error"`, `value="wang.officer"`, "已关联：张伟"} {
			if !strings.Contains(bad, want) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		st, loc, body := admin.post("/admin/users", url.Values{"username": {"wang.officer"}, "display_name": {"王警官"}, "roles": {"officer", "caseworker"},
			"units": {s.unit}, "member_id": {""}, "member_pick": {s.member}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
		if st != http.StatusSeeOther {
			t.Fatalf("create = %d %s", st, snippet(body))
		}
		id := userID(loc)
		_, page := admin.get("/admin/users/" + id)
		if !strings.Contains(page, `id="linked-member">已关联：张伟（`+masked+`）`) || !strings.Contains(page, `name="units" value="`+s.unit+`" checked`) {
			t.Errorf("user page does not name the linked member and unit: %s", snippet(page))
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if version == nil {
			t.Fatalf("no version on the user page: %s", snippet(page))
		}
		// A member id the registry does not show is said so: one that is
		// no id, and one of nobody.
		for _, unknown := range []string{"m-404", "00000000-0000-4000-8000-000000000404"} {
			st, _, typed := admin.post("/admin/users/"+id, url.Values{"version": {version[1]}, "display_name": {""},
				"roles": {"officer"}, "member_id": {unknown}, "units": {s.unit}, "lang": {"zh-CN"}})
			if st != http.StatusUnprocessableEntity || !strings.Contains(typed, "在您可见的人员中找不到此编号") || !strings.Contains(typed, `value="`+unknown+`"`) {
				t.Errorf("unknown member id %s = %d %s", unknown, st, snippet(typed))
			}
		}
		// Auditors read the names but get no search.
		aud := journeySignIn(t, s.gateway, "auditor")
		if st, page := aud.get("/admin/users/" + id + "?member_q=" + url.QueryEscape("张")); st != http.StatusOK || strings.Contains(page, `name="member_pick"`) {
			t.Errorf("auditor view = %d %s", st, snippet(page))
		}
	})

	t.Run("the member search keeps the form and saves nothing", func(t *testing.T) {
		_, form := admin.get("/admin/users/new")
		if !strings.Contains(form, `name="action" value="search"`) || strings.Contains(form, `method="get" action="/admin/users/new"`) {
			t.Fatal("the member search is not a button of the user form")
		}
		st, _, r := admin.post("/admin/users", url.Values{"action": {"search"}, "member_q": {"张"}, "username": {"zhang.new"},
			"display_name": {"张新"}, "roles": {"officer", "finance"}, "units": {s.unit}, "lang": {"en"}, "password": {"a long good phrase"}})
		if st != http.StatusOK {
			t.Fatalf("search = %d %s", st, snippet(r))
		}
		for _, want := range []string{`value="zhang.new"`, `value="张新"`, `value="officer" checked`, `value="finance" checked`,
			`name="units" value="` + s.unit + `" checked`, `<option value="en" selected>`, `name="member_pick" value="` + s.member + `"`, `value="张"`} {
			if !strings.Contains(r, want) {
				t.Errorf("search result lacks %q", want)
			}
		}
		if strings.Contains(r, "a long good phrase") || strings.Contains(r, "field-error") {
			t.Error("search sent the password back or showed errors")
		}
		if _, list := admin.get("/admin/users?q=zhang.new"); strings.Contains(list, ">zhang.new</a>") {
			t.Error("the search saved the user")
		}
		// An existing user: the version shown first stays in the form.
		_, list := admin.get("/admin/users?q=caseworker")
		target := regexp.MustCompile(`href="/admin/users/([^"]+)"[^>]*>caseworker<`).FindStringSubmatch(list)
		if target == nil {
			t.Fatalf("no caseworker in the user list: %s", snippet(list))
		}
		_, page := admin.get("/admin/users/" + target[1])
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if version == nil {
			t.Fatalf("no version on the user page: %s", snippet(page))
		}
		st, _, r = admin.post("/admin/users/"+target[1], url.Values{"action": {"search"}, "member_q": {"张"},
			"version": {version[1]}, "display_name": {"改过的名字"}, "roles": {"caseworker"}, "lang": {"zh-CN"}})
		if st != http.StatusOK || !strings.Contains(r, `value="改过的名字"`) || !strings.Contains(r, `name="member_pick" value="`+s.member+`"`) ||
			!strings.Contains(r, `name="version" value="`+version[1]+`"`) {
			t.Errorf("search on an existing user = %d %s", st, snippet(r))
		}
		if _, page := admin.get("/admin/users/" + target[1]); strings.Contains(page, "改过的名字") {
			t.Error("the search saved the change")
		}
	})

	// The target of the access checks and of the disabling.
	st, loc, body := journeySignIn(t, s.gateway, "admin").post("/admin/users", url.Values{"username": {"target"}, "display_name": {"目标"},
		"roles": {"officer"}, "units": {s.unit}, "member_id": {s.member}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if st != http.StatusSeeOther {
		t.Fatalf("create the target = %d %s", st, snippet(body))
	}
	target := userID(loc)

	t.Run("administrators change users, auditors read them, no one else", func(t *testing.T) {
		who := map[string]*client{}
		for _, n := range []string{"admin", "auditor", "officer"} {
			who[n] = journeySignIn(t, s.gateway, n)
		}
		for _, tc := range []struct {
			method, path string
			want         map[string]int
		}{
			{http.MethodGet, "/admin/users", map[string]int{"admin": 200, "auditor": 200}},
			{http.MethodGet, "/admin/users/new", map[string]int{"admin": 200}},
			{http.MethodGet, "/admin/users/" + target, map[string]int{"admin": 200, "auditor": 200}},
			{http.MethodPost, "/admin/users/" + target + "/disable", map[string]int{"admin": 303}},
		} {
			if st, loc := anonymousRequest(t, s.gateway, tc.method, tc.path); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
				t.Errorf("%s %s anonymous = %d %s", tc.method, tc.path, st, loc)
			}
			for _, name := range []string{"officer", "auditor", "admin"} {
				want, ok := tc.want[name]
				if !ok {
					want = http.StatusForbidden
				}
				var st int
				if tc.method == http.MethodGet {
					st, _ = who[name].get(tc.path)
				} else {
					st, _, _ = who[name].post(tc.path, url.Values{"version": {"1"}, "confirm": {"yes"}})
				}
				if st != want {
					t.Errorf("%s %s as %s = %d, want %d", tc.method, tc.path, name, st, want)
				}
			}
		}
		if _, page := who["admin"].get("/admin/users/" + target); !strings.Contains(page, `action="/admin/users/`+target+`/enable"`) {
			t.Errorf("admin could not disable through the page: %s", snippet(page))
		}
		// Enabled again for the next steps, at the version disabling left.
		_, page := who["admin"].get("/admin/users/" + target)
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if version == nil {
			t.Fatalf("no version on the user page: %s", snippet(page))
		}
		if st, _, body := who["admin"].post("/admin/users/"+target+"/enable", url.Values{"version": {version[1]}}); st != http.StatusSeeOther {
			t.Fatalf("enable = %d %s", st, snippet(body))
		}
	})

	t.Run("disabling asks first", func(t *testing.T) {
		adm := journeySignIn(t, s.gateway, "admin")
		page := "/admin/users/" + target
		_, shown := adm.get(page)
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(shown)
		if version == nil {
			t.Fatalf("no version on the user page: %s", snippet(shown))
		}
		st, _, r := adm.post(page+"/disable", url.Values{"version": {version[1]}})
		if st != http.StatusOK || !strings.Contains(r, `id="confirm"`) || !strings.Contains(r, "所有登录会话立即结束") ||
			!strings.Contains(r, `name="confirm" value="yes"`) || !strings.Contains(r, `action="/admin/users/`+target+`/disable"`) {
			t.Fatalf("first press = %d %s", st, snippet(r))
		}
		if _, shown := adm.get(page); strings.Contains(shown, `action="/admin/users/`+target+`/enable"`) {
			t.Fatal("the first press disabled the user")
		}
		if st, _, r := adm.post(page+"/disable", url.Values{"version": {"77"}}); st != http.StatusConflict || strings.Contains(r, `id="confirm"`) {
			t.Errorf("stale first press = %d", st)
		}
		if st, _, r := adm.post(page+"/disable", url.Values{"version": {version[1]}, "confirm": {"yes"}}); st != http.StatusSeeOther {
			t.Fatalf("second press = %d %s", st, snippet(r))
		}
		if _, shown := adm.get(page); !strings.Contains(shown, `action="/admin/users/`+target+`/enable"`) {
			t.Error("the second press did not disable the user")
		}
	})
}

// anonymousRequest sends method to path as a visitor who is not signed in
// (with the sign-in page's form token for a POST), and answers the status
// and the Location.
func anonymousRequest(t *testing.T, base, method, path string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var r *http.Response
	var err error
	if method == http.MethodGet {
		r, err = cl.Get(base + path)
	} else {
		var signin *http.Response
		if signin, err = cl.Get(base + "/signin"); err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(signin.Body)
		_ = signin.Body.Close()
		m := tokenRE.FindStringSubmatch(string(page))
		if m == nil {
			t.Fatal("no form token on /signin")
		}
		r, err = cl.PostForm(base+path, url.Values{"csrf_token": {m[1]}, "version": {"1"}, "confirm": {"yes"}})
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	return r.StatusCode, r.Header.Get("Location")
}
