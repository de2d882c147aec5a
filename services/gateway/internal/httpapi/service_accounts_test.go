package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
)

var tokenShape = regexp.MustCompile(`^anx_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$`)

// createdAccount is the answer to a creation.
type createdAccount struct {
	ID          string   `json:"id"`
	Token       string   `json:"token"`
	TokenPrefix string   `json:"token_prefix"`
	Roles       []string `json:"roles"`
	Status      string   `json:"status"`
	Version     int64    `json:"version"`
	LastUsedAt  string   `json:"last_used_at"`
	LastUsedAdr string   `json:"last_used_address"`
}

// newAccount creates a service account through the API as the signed-in
// administrator admin.
func newAccount(t *testing.T, admin *browser, body string) createdAccount {
	t.Helper()
	r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts", body)
	if r.status != http.StatusCreated {
		t.Fatalf("create service account = %d %s", r.status, r.body)
	}
	var a createdAccount
	if err := json.Unmarshal([]byte(r.body), &a); err != nil {
		t.Fatal(err)
	}
	if !tokenShape.MatchString(a.Token) || !strings.HasPrefix(a.Token, a.TokenPrefix+"_") {
		t.Fatalf("token %q prefix %q", a.Token, a.TokenPrefix)
	}
	return a
}

// withBearer sends a request with an API token and no cookie.
func (e *env) withBearer(token, method, path, body string, headers ...string) response {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.browser().do(req)
}

// compensationCSV is the real leave service's compensation report, which
// finance alone may read; payImport is where finance imports a year's pay.
const (
	compensationCSV = "/api/v1/leave/compensation/2026?format=csv"
	payImport       = "/api/v1/leave/pay-imports/2026?format=csv"
)

// payFile is a wage file giving member a year's pay.
func payFile(member string) string {
	return "人员编号,全年工资收入（元）\n" + member + ",120000.00\n"
}

// leaveAudit are the real leave service's audit rows of action.
func (e *env) leaveAudit(action string) []map[string]any {
	e.t.Helper()
	return e.serviceAudit("leave", "action="+url.QueryEscape(action))
}

// serviceAudit are a real service's audit rows matching query, read as an
// auditor.
func (e *env) serviceAudit(service, query string) []map[string]any {
	e.t.Helper()
	aud := auth.Identity{UserID: "u-seed-auditor", Name: "审计", Roles: []auth.Role{auth.RoleAuditor}}
	return e.sys.Items(e.t, aud, "/api/v1/"+service+"/admin/audit?"+query)
}

// auditDB captures the gateway's database, to read its audit trail.
func auditDB(db *sqlx.QueryerContext) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) { *db = d.AuditDB }
}

// auditRows are the audit rows of action, their after states as text.
func auditRows(t *testing.T, db sqlx.QueryerContext, action string) []string {
	t.Helper()
	var out []string
	if err := sqlx.SelectContext(context.Background(), db, &out,
		`SELECT coalesce(after::text, '') FROM audit_log WHERE action = $1 ORDER BY seq`, action); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServiceAccountTokenCallsTheAPIAsTheAccount(t *testing.T) {
	t.Parallel()
	var db sqlx.QueryerContext
	e := newEnv(t, auditDB(&db))
	spec := specs.MustLoad(t, "gateway")
	e.user("admin1", domain.RoleAdmin)
	admin := e.browser()
	admin.signIn("admin1")
	a := newAccount(t, admin, `{"name":"财务系统","roles":["finance"],"expires_at":"2026-06-30"}`)

	// A read: the real leave service answers the account's finance role
	// (the API token itself it would refuse), in the request's language:
	// the report's headings are English.
	r := e.withBearer(a.Token, http.MethodGet, compensationCSV, "", "Accept-Language", "en")
	if r.status != http.StatusOK || !strings.HasPrefix(strings.TrimPrefix(r.body, "\ufeff"), "Member,Name,Unit") {
		t.Fatalf("GET with token = %d %.300s", r.status, r.body)
	}

	// A change needs no form token; a session cookie sent along is not
	// used: the call is the account's, not the administrator's (who may
	// not import pay), and the service records it as the account's.
	member := e.member("李四")
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+payImport, strings.NewReader(payFile(member)))
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Content-Type", "text/csv")
	if r := admin.do(req); r.status != http.StatusCreated {
		t.Fatalf("POST with token and the admin's cookie = %d %s", r.status, r.body)
	}
	if rows := e.leaveAudit("leave.pay.import"); len(rows) != 1 || rows[0]["actor"] != a.ID {
		t.Errorf("leave recorded the import as %v, want the account %s", rows, a.ID)
	}

	// The gateway's own API is for people.
	for _, path := range []string{"/api/v1/gateway/me", "/api/v1/gateway/service-accounts"} {
		r := e.withBearer(a.Token, http.MethodGet, path, "")
		if r.status != http.StatusForbidden || problemCode(t, r) != "gateway.api_token.people_only" {
			t.Errorf("GET %s with a token = %d %s", path, r.status, r.body)
		}
	}

	// Audited: the change, and the first read of the minute; a second
	// read in the same minute only updates nothing.
	if r := e.withBearer(a.Token, http.MethodGet, compensationCSV, ""); r.status != http.StatusOK {
		t.Fatalf("second read = %d", r.status)
	}
	uses := auditRows(t, db, "api_token.use")
	if len(uses) != 2 || !strings.Contains(uses[0], `"method": "GET"`) || !strings.Contains(uses[1], `"method": "POST"`) ||
		!strings.Contains(uses[1], `"path": "`+strings.TrimSuffix(payImport, "?format=csv")+`"`) || !strings.Contains(uses[1], `"status": 201`) ||
		!strings.Contains(uses[1], `"token_prefix": "`+a.TokenPrefix+`"`) {
		t.Fatalf("api_token.use rows = %q", uses)
	}
	e.clk.Advance(time.Minute)
	e.withBearer(a.Token, http.MethodGet, compensationCSV, "")
	if uses := auditRows(t, db, "api_token.use"); len(uses) != 3 {
		t.Fatalf("a read a minute later: %d rows", len(uses))
	}

	// The list shows the last use with its address.
	r = admin.get("/api/v1/gateway/service-accounts/" + a.ID)
	var shown createdAccount
	_ = json.Unmarshal([]byte(r.body), &shown)
	if shown.LastUsedAt == "" || shown.LastUsedAdr != "127.0.0.1" || shown.Token != "" || shown.Status != "active" {
		t.Errorf("account = %s", r.body)
	}
	if err := spec.ValidateResponse(httptest.NewRequest(http.MethodGet, "/api/v1/gateway/service-accounts/"+a.ID, nil), r.status, r.header, []byte(r.body)); err != nil {
		t.Error(err)
	}

	// The audit page names the account and the action.
	if r := admin.get("/audit?service=gateway&action=api_token.use"); r.status != http.StatusOK ||
		!strings.Contains(r.body, "财务系统 ("+a.TokenPrefix+")") || !strings.Contains(r.body, "API 令牌调用") {
		t.Errorf("audit page = %d: the machine's rows are not named", r.status)
	}

	// The secret is nowhere in the trail.
	_, secret, _ := domain.ParseToken(a.Token)
	var n int
	if err := sqlx.GetContext(context.Background(), db, &n, `SELECT count(*) FROM audit_log WHERE strpos(coalesce(after::text, '') || coalesce(before::text, ''), $1) > 0`, secret); err != nil || n != 0 {
		t.Errorf("the token's secret is in %d audit rows (%v)", n, err)
	}
}

func TestServiceAccountRefusedTokens(t *testing.T) {
	t.Parallel()
	var db sqlx.QueryerContext
	e := newEnv(t, auditDB(&db))
	spec := specs.MustLoad(t, "gateway")
	e.user("admin1", domain.RoleAdmin)
	admin := e.browser()
	admin.signIn("admin1")
	short := newAccount(t, admin, `{"name":"短期","roles":["finance"],"expires_at":"2026-03-03"}`)
	revoked := newAccount(t, admin, `{"name":"将吊销","roles":["auditor"],"expires_at":"2026-12-31"}`)
	good := newAccount(t, admin, `{"name":"财务","roles":["finance"],"expires_at":"2026-12-31"}`)
	member := e.member("李四")

	// Each refused token tries to import a year's pay into the real leave
	// service; none may reach it.
	refused := func(name, token, wantCode string) {
		t.Helper()
		r := e.withBearer(token, http.MethodPost, payImport, payFile(member), "Accept-Language", "en")
		if r.status != http.StatusUnauthorized || problemCode(t, r) != wantCode ||
			!strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer realm="anxin", error="invalid_token"`) {
			t.Errorf("%s: = %d %q %s", name, r.status, r.header.Get("WWW-Authenticate"), r.body)
		}
		if err := spec.ValidateResponse(httptest.NewRequest(http.MethodPost, "/api/v1/leave/x", nil), r.status, r.header, []byte(r.body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	// Expired: the injected clock passes the end of 3 March (Shanghai).
	if r := e.withBearer(short.Token, http.MethodGet, compensationCSV, ""); r.status != http.StatusOK {
		t.Fatalf("before its expiry = %d", r.status)
	}
	e.clk.Set(time.Date(2026, 3, 3, 16, 0, 0, 0, time.UTC))
	refused("expired", short.Token, "gateway.api_token.expired")
	admin.signIn("admin1") // the session did not outlive the jump either

	// Revoked: from the next request on.
	if r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts/"+revoked.ID+"/revoke", "", "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("revoke = %d %s", r.status, r.body)
	}
	refused("revoked", revoked.Token, "gateway.api_token.revoked")
	if r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts/"+revoked.ID+"/revoke", ""); r.status != http.StatusConflict ||
		problemCode(t, r) != domain.CodeAlreadyRevoked {
		t.Errorf("revoke again = %d %s", r.status, r.body)
	}

	// Wrong: another secret on a real prefix, and a token of nobody.
	refused("wrong secret", good.TokenPrefix+"_"+strings.Repeat("A", 43), "gateway.api_token.invalid")
	refused("malformed", "anx_nothing", "gateway.api_token.invalid")
	if rows := e.leaveAudit("leave.pay.import"); len(rows) != 0 {
		t.Fatalf("a refused token reached the service: %v", rows)
	}

	// Five failures from this address: the next token from it waits,
	// good or not, refused before it is looked at (the sign-in rule).
	refused("fifth failure", "anx_0000000000000000_"+strings.Repeat("B", 43), "gateway.api_token.invalid")
	r := e.withBearer(good.Token, http.MethodGet, compensationCSV, "")
	if r.status != http.StatusTooManyRequests || problemCode(t, r) != "gateway.api_token.throttled" || r.header.Get("Retry-After") == "" {
		t.Fatalf("after five bad tokens = %d %v %s", r.status, r.header, r.body)
	}
	if err := spec.ValidateResponse(httptest.NewRequest(http.MethodGet, "/api/v1/leave/x", nil), r.status, r.header, []byte(r.body)); err != nil {
		t.Error(err)
	}
	// A delay, never a lock: after the wait the good token works, and its
	// success ends the count.
	e.clk.Advance(31 * time.Second)
	if r := e.withBearer(good.Token, http.MethodGet, compensationCSV, ""); r.status != http.StatusOK {
		t.Fatalf("after the wait = %d %s", r.status, r.body)
	}
	e.clk.Advance(time.Second)
	refused("a new first failure", "anx_nothing", "gateway.api_token.invalid")

	// Each refusal is in the trail with its outcome, never a secret.
	rows := auditRows(t, db, "api_token.refused")
	want := []string{"expired", "revoked", "invalid", "invalid", "invalid", "throttled", "invalid"}
	if len(rows) != len(want) {
		t.Fatalf("api_token.refused rows = %q", rows)
	}
	for i, w := range want {
		if !strings.Contains(rows[i], `"outcome": "`+w+`"`) || strings.Contains(rows[i], strings.Repeat("A", 43)) {
			t.Errorf("row %d = %s, want outcome %s", i, rows[i], w)
		}
	}
	// The throttle page lists the address under the token key.
	if r := admin.get("/admin/sign-in-throttles"); !strings.Contains(r.body, "无效的 API 令牌") || !strings.Contains(r.body, `value="`+domain.TokenThrottleKey+`"`) {
		t.Errorf("throttles page does not list bad tokens")
	}
}

func TestServiceAccountCreationRefusesBadInputAndCreatesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	admin := e.browser()
	admin.signIn("admin1")
	tests := []struct {
		name, body string
		fields     []string
	}{
		{"a person's role", `{"name":"x","roles":["officer"],"expires_at":"2026-06-30"}`, []string{"roles"}},
		{"an administrator's role", `{"name":"x","roles":["admin"],"expires_at":"2026-06-30"}`, []string{"roles"}},
		{"caseworker without units", `{"name":"x","roles":["caseworker"],"expires_at":"2026-06-30"}`, []string{"units"}},
		{"no name, expiry not a date", `{"name":"","roles":["finance"],"expires_at":"六月底"}`, []string{"name", "expires_at"}},
		{"expiry in the past", `{"name":"x","roles":["finance"],"expires_at":"2026-01-01"}`, []string{"expires_at"}},
		{"expiry too far", `{"name":"x","roles":["finance"],"expires_at":"2028-01-01"}`, []string{"expires_at"}},
		{"unknown field", `{"name":"x","roles":["finance"],"expires_at":"2026-06-30","token":"mine"}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts", tc.body, "Accept-Language", "en")
			if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
				t.Fatalf("= %d %s", r.status, r.body)
			}
			for _, f := range tc.fields {
				if !strings.Contains(r.body, `"field":"`+f+`"`) {
					t.Errorf("no problem for %s: %s", f, r.body)
				}
			}
		})
	}
	r := admin.get("/api/v1/gateway/service-accounts")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"items":[]`) {
		t.Errorf("refused creations left accounts: %s", r.body)
	}
}

func TestServiceAccountAPIAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	spec := specs.MustLoad(t, "gateway")
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	e.user("finance1", domain.RoleFinance)
	as := map[string]*browser{"anonymous": e.browser()}
	for _, name := range []string{"admin1", "auditor1", "finance1"} {
		b := e.browser()
		b.signIn(name)
		as[name] = b
	}
	a := newAccount(t, as["admin1"], `{"name":"审计导出","roles":["auditor"],"expires_at":"2026-12-31"}`)
	create := `{"name":"人社花名册","roles":["caseworker"],"units":["` + e.unit + `"],"expires_at":"2026-12-31"}`
	tests := []struct {
		method, path, body string
		want               map[string]int
	}{
		{http.MethodGet, "/api/v1/gateway/service-accounts", "", map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodGet, "/api/v1/gateway/service-accounts/" + a.ID, "", map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodPost, "/api/v1/gateway/service-accounts", create, map[string]int{"admin1": 201}},
		{http.MethodPost, "/api/v1/gateway/service-accounts/" + a.ID + "/revoke", "", map[string]int{"admin1": 200}},
	}
	for _, tc := range tests {
		for _, who := range []string{"anonymous", "finance1", "auditor1", "admin1"} {
			want, ok := tc.want[who]
			switch {
			case who == "anonymous":
				want = http.StatusUnauthorized
			case !ok:
				want = http.StatusForbidden
			}
			r := as[who].api(tc.method, tc.path, tc.body)
			if r.status != want {
				t.Errorf("%s %s as %s = %d, want %d (%s)", tc.method, tc.path, who, r.status, want, r.body)
			}
			if err := spec.ValidateResponse(httptest.NewRequest(tc.method, tc.path, nil), r.status, r.header, []byte(r.body)); err != nil {
				t.Errorf("%s %s as %s: %v", tc.method, tc.path, who, err)
			}
			if r.status == http.StatusCreated && r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("the token's answer may be cached: %q", r.header.Get("Cache-Control"))
			}
		}
	}
}

// The token exists only in the answer to its creation: an
// Idempotency-Key does not make the gateway keep that answer (a replay
// would need it); a retry creates a second account, which the list shows.
func TestServiceAccountCreationKeepsNoCopyOfTheToken(t *testing.T) {
	t.Parallel()
	var db sqlx.QueryerContext
	e := newEnv(t, auditDB(&db))
	e.user("admin1", domain.RoleAdmin)
	admin := e.browser()
	admin.signIn("admin1")
	body := `{"name":"财务系统","roles":["finance"],"expires_at":"2026-06-30"}`
	r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts", body, "Idempotency-Key", "k-create-1")
	var a createdAccount
	_ = json.Unmarshal([]byte(r.body), &a)
	if r.status != http.StatusCreated || a.Token == "" {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	_, secret, _ := domain.ParseToken(a.Token)
	var n int
	if err := sqlx.GetContext(context.Background(), db, &n, `SELECT count(*) FROM idempotency_keys WHERE key = 'k-create-1' OR strpos(encode(coalesce(body, ''::bytea), 'escape'), $1) > 0`, secret); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("the token is kept in the idempotency store")
	}
	if r := admin.api(http.MethodPost, "/api/v1/gateway/service-accounts", body, "Idempotency-Key", "k-create-1"); r.status != http.StatusCreated ||
		r.header.Get("Idempotent-Replayed") != "" || strings.Contains(r.body, a.Token) {
		t.Fatalf("a retry = %d %v", r.status, r.header)
	}
}

func TestServiceAccountPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	e.user("officer1", domain.RoleOfficer)
	admin := e.browser()
	admin.signIn("admin1")
	tok := admin.token("/admin/service-accounts")

	// A refused form shows its problems next to the fields and keeps what
	// was typed.
	r := admin.post("/admin/service-accounts", url.Values{"csrf_token": {tok}, "name": {"花名册"}, "roles": {"caseworker"}, "expires_at": {"2026-06-30"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="units-error"`) || !strings.Contains(r.body, `value="花名册"`) {
		t.Fatalf("bad form = %d", r.status)
	}
	// Created: the token is on the answer, once, and not in a URL.
	r = admin.post("/admin/service-accounts", url.Values{"csrf_token": {tok}, "name": {"县人社局花名册推送"}, "roles": {"caseworker"},
		"units": {e.unit}, "expires_at": {"2026-06-30"}})
	m := regexp.MustCompile(`<code id="new-token">(anx_[^<]+)</code>`).FindStringSubmatch(r.body)
	if r.status != http.StatusCreated || m == nil || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create = %d %q", r.status, r.header.Get("Cache-Control"))
	}
	token := m[1]
	list := admin.get("/admin/service-accounts")
	prefix, _, _ := domain.ParseToken(token)
	if !strings.Contains(list.body, "县人社局花名册推送") || !strings.Contains(list.body, "anx_"+prefix) || strings.Contains(list.body, token) {
		t.Fatalf("list does not show the account by its prefix only")
	}
	if r := e.withBearer(token, http.MethodGet, "/api/v1/leave/units/"+e.unit+"/balances?year=2026", ""); r.status != http.StatusOK {
		t.Fatalf("the page's token = %d", r.status)
	}

	// Revoke in two presses.
	id := regexp.MustCompile(`action="/admin/service-accounts/([^/]+)/revoke"`).FindStringSubmatch(list.body)
	if id == nil {
		t.Fatal("no revoke button")
	}
	r = admin.post("/admin/service-accounts/"+id[1]+"/revoke", url.Values{"csrf_token": {tok}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) {
		t.Fatalf("first press = %d", r.status)
	}
	if r := e.withBearer(token, http.MethodGet, "/api/v1/leave/units/"+e.unit+"/balances?year=2026", ""); r.status != http.StatusOK {
		t.Fatalf("the first press revoked: %d", r.status)
	}
	r = admin.post("/admin/service-accounts/"+id[1]+"/revoke", url.Values{"csrf_token": {tok}, "confirm": {"yes"}, "version": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("second press = %d", r.status)
	}
	if r := e.withBearer(token, http.MethodGet, "/api/v1/leave/units/"+e.unit+"/balances?year=2026", ""); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked on the page, the token still answers %d", r.status)
	}

	// Auditors read; officers do not.
	aud := e.browser()
	aud.signIn("auditor1")
	if r := aud.get("/admin/service-accounts"); r.status != http.StatusOK || strings.Contains(r.body, `id="new-account"`) ||
		strings.Contains(r.body, "/revoke") || !strings.Contains(r.body, "县人社局花名册推送") {
		t.Errorf("auditor's page = %d", r.status)
	}
	off := e.browser()
	off.signIn("officer1")
	if r := off.get("/admin/service-accounts"); r.status != http.StatusForbidden {
		t.Errorf("officer's page = %d", r.status)
	}
}
