package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// careRawKey is a catalogue key printed instead of its text.
var careRawKey = regexp.MustCompile(`\b(web|gateway)\.[a-z_]+\.[a-z_.0-9]+`)

// careWant checks a page's status and that it holds every text, with no raw
// catalogue key.
func (r response) careWant(t *testing.T, what string, status int, texts ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s = %d, want %d: %s", what, r.status, status, r.body)
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
	if k := careRawKey.FindString(r.body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
}

// careRedirect checks a 303 to a path starting with prefix.
func (r response) careRedirect(t *testing.T, what, prefix string) {
	t.Helper()
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), prefix) {
		t.Fatalf("%s = %d %q, want a redirect to %s: %s", what, r.status, r.header.Get("Location"), prefix, r.body)
	}
}

// careForm is a posted form with the page's token.
func careForm(tok string, kv ...string) url.Values {
	v := url.Values{"csrf_token": {tok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestFundPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("finance1", domain.RoleFinance)
	e.user("auditor1", domain.RoleAuditor)
	e.user("officer1", domain.RoleOfficer)
	for _, name := range []string{"finance1", "auditor1"} {
		b := e.browser()
		b.signIn(name)
		r := b.get("/admin/funds")
		r.careWant(t, name+"'s funds", http.StatusOK, "2026 年资助资金", "¥1,000,000.00", `href="/finance?fund=f-1"`)
		if strings.Contains(r.body, `action="/admin/funds"`) {
			t.Errorf("%s is offered the form that opens a fund", name)
		}
		if r := b.post("/admin/funds", careForm(b.token("/account"), "fiscal_year", "2027", "name", "x", "appropriation", "1")); r.status != http.StatusForbidden {
			t.Errorf("%s POST /admin/funds = %d", name, r.status)
		}
	}
	o := e.browser()
	o.signIn("officer1")
	if r := o.get("/admin/funds"); r.status != http.StatusForbidden {
		t.Errorf("officer on the funds = %d", r.status)
	}

	a := e.browser()
	a.signIn("admin1")
	a.get("/admin/funds").careWant(t, "admin's funds", http.StatusOK, `action="/admin/funds"`, `id="fiscal_year" name="fiscal_year" type="text" autocomplete="off" inputmode="numeric" value="2027"`)
	tok := a.token("/admin/funds")
	a.post("/admin/funds", careForm(tok, "fiscal_year", "两千", "name", "", "appropriation", "12.345")).careWant(t, "fund with bad fields", http.StatusUnprocessableEntity,
		`id="fiscal_year-error"`, `id="name-error"`, `id="appropriation-error"`, `value="两千"`, `value="12.345"`, i18n.T(i18n.ZH, "field.money"))
	a.post("/admin/funds", careForm(tok, "fiscal_year", "2026", "name", "又一笔", "appropriation", "100")).careWant(t, "second fund of 2026", http.StatusConflict,
		`id="fiscal_year-error"`, "grants.fund_exists", `value="又一笔"`)
	a.post("/admin/funds", careForm(tok, "fiscal_year", "2027", "name", "2027年度资金", "appropriation", "3,000,000.50")).careRedirect(t, "fund", "/admin/funds?m=created")
	if got := e.grants.createdFunds(); !slices.Equal(got, []string{"2027|2027年度资金|300000050"}) {
		t.Errorf("funds created %v, want the appropriation in fen", got)
	}
	a.get("/admin/funds?m=created").careWant(t, "after the fund", http.StatusOK, i18n.T(i18n.ZH, "web.funds.created"))
	a.post("/lang", careForm(tok, "lang", "en", "next", "/admin/funds"))
	a.get("/admin/funds").careWant(t, "funds in English", http.StatusOK, i18n.T(i18n.EN, "web.funds.title"))
}
