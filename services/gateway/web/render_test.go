package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	_ "github.com/anxin-welfare/anxin/services/gateway/internal/httpapi" // the domain codes' texts
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

func TestCatalogueValid(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
}

// rawKey finds a catalogue key that was printed instead of its text: the
// sign that a template uses a key nobody registered.
var rawKey = regexp.MustCompile(`\b(web|gateway)\.[a-z_]+\.[a-z_.0-9]+`)

type signinData struct {
	Next string
	OIDC bool
}

func render(t *testing.T, name string, p *web.Page) string {
	t.Helper()
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Execute(&buf, name, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if k := rawKey.FindString(out); k != "" {
		t.Errorf("page %s shows the raw key %q", name, k)
	}
	return out
}

func TestSignInPage(t *testing.T) {
	t.Parallel()
	form := web.NewForm().Set("username", "zhangsan").Set("password", "secret-typed")
	form.AddError("", web.Msg(domain.CodeSignInThrottled, 4))
	form.AddError("password", web.Msg(domain.CodePasswordRequired))
	tests := []struct {
		name    string
		lang    i18n.Lang
		oidc    bool
		want    []string
		notWant []string
	}{
		{name: "chinese by default", want: []string{
			`<html lang="zh-CN">`, "登录", "用户名", `value="zhangsan"`, "登录失败次数过多，请 4 分钟后再试",
			`aria-describedby="password-error"`, "请输入密码", `name="csrf_token" value="tok"`, `value="en"`, "English",
		}, notWant: []string{"secret-typed", "Sign in", "<script"}},
		{name: "english", lang: i18n.EN, oidc: true, want: []string{
			`<html lang="en">`, "Sign in", "Username", "Too many failed sign-ins; try again in 4 minutes", "Enter a password",
			`value="zh-CN"`, "中文", "provincial identity service",
		}, notWant: []string{"secret-typed", "用户名"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, "signin", &web.Page{
				Lang: tc.lang, Title: "web.signin.title", Path: "/signin", CSRF: "tok",
				Form: form, Data: signinData{Next: "/my", OIDC: tc.oidc},
			})
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("page contains %q", w)
				}
			}
		})
	}
}

func TestLayoutSignedIn(t *testing.T) {
	t.Parallel()
	roles := []domain.Role{domain.RoleCaseworker, domain.RoleOfficer}
	flash := web.Msg("web.signin.signed_out")
	out := render(t, "error", &web.Page{
		Title: "web.error.title.404", Path: "/work/queue/x", CSRF: "tok", Flash: &flash,
		User: &web.Viewer{Name: "李<四>", Roles: roles}, Nav: web.NavFor(roles, "/work/queue/x"),
		Data: struct{ Message web.Message }{web.Msg("web.error.404")},
	})
	for _, w := range []string{
		"李&lt;四&gt;", `href="/work/queue" aria-current="page"`, `href="/my"`, "退出登录",
		`action="/signout"`, "页面不存在", "您已退出登录。",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(out, `href="/finance"`) {
		t.Error("a caseworker is shown the finance menu")
	}
}

func TestRendererParsesPages(t *testing.T) {
	t.Parallel()
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	pages := r.Pages()
	slices.Sort(pages)
	if !slices.Contains(pages, "signin") {
		t.Fatalf("pages = %v", pages)
	}
}

func TestNavFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		roles []domain.Role
		want  []string
	}{
		// an officer disabled on duty has a care record of their own: the
		// menu offers the page to every officer, and the page says so when
		// there is none (no call to grants on every page to decide)
		{name: "officer", roles: []domain.Role{domain.RoleOfficer}, want: []string{"/my", "/leave", "/grants", "/care", "/family-care", "/account"}},
		{name: "finance", roles: []domain.Role{domain.RoleFinance}, want: []string{"/finance", "/finance/compensation", "/admin/funds", "/admin/programs", "/account"}},
		{name: "admin", roles: []domain.Role{domain.RoleAdmin}, want: []string{"/work/members", "/work/roster", "/admin/plans", "/work/health-checks", "/work/recuperation-quotas", "/admin/care", "/admin/family-care", "/finance", "/audit", "/admin/users", "/admin/units", "/admin/funds", "/admin/programs", "/admin/parameters", "/admin/calendar", "/admin/leave", "/admin/dead-letters", "/admin/deliveries", "/admin/webhooks", "/admin/sign-in-throttles", "/admin/service-accounts", "/account"}},
		{name: "unit head", roles: []domain.Role{domain.RoleUnitHead}, want: []string{"/work/queue", "/work/family-care", "/work/health-checks", "/work/recuperation-quotas", "/approvals", "/overview", "/account"}},
		{name: "leader", roles: []domain.Role{domain.RoleLeader}, want: []string{"/work/family-care", "/overview", "/account"}},
		{name: "auditor", roles: []domain.Role{domain.RoleAuditor}, want: []string{"/finance", "/audit", "/admin/users", "/admin/units", "/admin/funds", "/admin/programs", "/admin/parameters", "/admin/service-accounts", "/account"}},
		{name: "none", roles: nil, want: []string{"/account"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, n := range web.NavFor(tc.roles, "/") {
				got = append(got, n.Path)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("NavFor = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "local path", in: "/my/cases?x=1", want: "/my/cases?x=1"},
		{name: "empty", in: "", want: "/"},
		{name: "protocol-relative", in: "//evil.example/", want: "/"},
		{name: "backslash trick", in: "/\\evil.example", want: "/"},
		{name: "absolute url", in: "https://evil.example/", want: "/"},
		{name: "relative", in: "my", want: "/"},
		{name: "header injection", in: "/a\r\nSet-Cookie: x=1", want: "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := web.SafeNext(tc.in); got != tc.want {
				t.Errorf("SafeNext(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStaticHandler(t *testing.T) {
	t.Parallel()
	url := web.StaticURL("app.css")
	tests := []struct {
		name       string
		url        string
		wantStatus int
		wantCache  string
	}{
		{name: "versioned", url: url, wantStatus: http.StatusOK, wantCache: "public, max-age=31536000, immutable"},
		{name: "unversioned", url: "/static/app.css", wantStatus: http.StatusOK, wantCache: "no-cache"},
		{name: "missing", url: "/static/nope.css", wantStatus: http.StatusNotFound},
		{name: "traversal", url: "/static/../render.go", wantStatus: http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			web.StaticHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			if rec.Code != tc.wantStatus || rec.Header().Get("Cache-Control") != tc.wantCache {
				t.Errorf("GET %s = %d %q", tc.url, rec.Code, rec.Header().Get("Cache-Control"))
			}
			if tc.wantStatus == http.StatusOK && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
				t.Errorf("content type %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}

// The header's inbox link carries the unread count for every signed-in
// page, and no badge when there is nothing unread (or notify was slow).
func TestLayoutShowsTheUnreadCount(t *testing.T) {
	t.Parallel()
	roles := []domain.Role{domain.RoleFinance}
	page := func(unread int) string {
		return render(t, "error", &web.Page{
			Title: "web.error.title.404", Path: "/x", CSRF: "tok", Unread: unread,
			User: &web.Viewer{Name: "孙会计", Roles: roles}, Nav: web.NavFor(roles, "/x"),
			Data: struct{ Message web.Message }{web.Msg("web.error.404")},
		})
	}
	if out := page(3); !strings.Contains(out, `id="unread-count">3<span class="visually-hidden"> 条未读</span>`) || !strings.Contains(out, `href="/inbox"`) {
		t.Errorf("badge missing: %s", out)
	}
	if out := page(0); strings.Contains(out, "unread-count") || !strings.Contains(out, `href="/inbox"`) {
		t.Errorf("a badge with nothing unread, or no inbox link")
	}
}
