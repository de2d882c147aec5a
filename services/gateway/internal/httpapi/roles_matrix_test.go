package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// anyRole marks a route open to every signed-in user: the gateway does not
// gate it by role and the service behind it decides per object (404 for
// what the caller may not see, proved against the real services by
// TestOtherOfficersObjectsAnswer404 in package gateway_test).
var anyRole = []domain.Role{}

// routeRoles is the intended role table of the gateway: for each route
// (method and gin path, as engine.Routes() lists them) the roles let
// through by its requireUser(...) or requireAPIRoles(...) call. It is
// written out here, not derived, so that a change of a role gate, or a
// route added without a row, fails TestRoleMatrix until the table is
// updated on purpose.
var routeRoles = map[string][]domain.Role{
	// pages.go
	"GET /account":           anyRole,
	"POST /account/password": anyRole,
	// print_pages.go: any signed-in person; the service decides (404)
	"GET /cases/:id/print/summary":                      anyRole,
	"GET /cases/:id/print/determination-cover":          anyRole,
	"GET /grants/applications/:id/print/approval-sheet": anyRole,
	"GET /finance/ledger/entries/:id/print/voucher":     anyRole,
	"GET /finance/funds/:id/print/disbursements":        anyRole,
	"GET /leave/requests/:id/print/slip":                anyRole,
	// admin_user_pages.go
	"GET /admin/users":               {domain.RoleAdmin, domain.RoleAuditor},
	"GET /admin/users/new":           {domain.RoleAdmin},
	"POST /admin/users":              {domain.RoleAdmin},
	"GET /admin/users/:id":           {domain.RoleAdmin, domain.RoleAuditor},
	"POST /admin/users/:id":          {domain.RoleAdmin},
	"POST /admin/users/:id/disable":  {domain.RoleAdmin},
	"POST /admin/users/:id/enable":   {domain.RoleAdmin},
	"POST /admin/users/:id/password": {domain.RoleAdmin},
	"POST /admin/users/:id/oidc":     {domain.RoleAdmin},
	// audit_pages.go
	"GET /audit":              {domain.RoleAuditor, domain.RoleAdmin},
	"GET /admin/dead-letters": {domain.RoleAdmin},
	"POST /admin/dead-letters/:service/:id/replay": {domain.RoleAdmin},
	// family_care_pages.go: a family's circle (liaisons of any role, the
	// unit's caseworkers, the committee) is the grants service's rule
	"GET /family-care":                                       {domain.RoleOfficer, domain.RoleFamily},
	"POST /family-care/:id/matters":                          {domain.RoleOfficer, domain.RoleFamily},
	"GET /work/family-care":                                  {domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleLeader},
	"GET /work/family-care/summary":                          {domain.RoleApprover, domain.RoleLeader, domain.RoleAdmin},
	"GET /work/family-care/:id":                              anyRole,
	"GET /work/family-care/:id/visit":                        anyRole,
	"POST /work/family-care/:id/visit":                       anyRole,
	"POST /work/family-care/:id/visits/:visit/photos":        anyRole,
	"GET /work/family-care/export":                           {domain.RoleApprover, domain.RoleLeader},
	"POST /work/family-care/:id/liaisons/:role":              {domain.RoleCaseworker, domain.RoleApprover},
	"POST /work/family-care/:id/matters":                     anyRole,
	"POST /work/family-care/:id/matters/:matter/application": {domain.RoleCaseworker},
	"POST /work/family-care/:id/matters/:matter/progress":    anyRole,
	"POST /work/family-care/:id/matters/:matter/resolve":     anyRole,
	// family_care_admin_pages.go
	"GET /admin/family-care":                  {domain.RoleAdmin},
	"POST /admin/family-care/rules/:occasion": {domain.RoleAdmin},
	"POST /admin/family-care/dates":           {domain.RoleAdmin},
	// care_pages.go
	"GET /care":                                    {domain.RoleOfficer},
	"POST /care/recuperation/:id/book":             {domain.RoleOfficer},
	"POST /care/health-checks/:id/book":            {domain.RoleOfficer},
	"POST /care/health-checks/bookings/:id/cancel": {domain.RoleOfficer},
	"GET /work/health-checks":                      {domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleAdmin},
	// enrollment_pages.go
	"GET /work/members":                                       {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members":                                      {domain.RoleCaseworker, domain.RoleAdmin},
	"GET /work/members/new":                                   {domain.RoleCaseworker, domain.RoleAdmin},
	"GET /work/members/:id":                                   {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id":                                  {domain.RoleCaseworker, domain.RoleAdmin},
	"GET /work/members/:id/edit":                              {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/status":                           {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/death":                            {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/dependants":                       {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/dependants/:dependant_id/remove":  {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/enrollments":                      {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/enrollments/:enrollment_id/close": {domain.RoleCaseworker, domain.RoleAdmin},
	"GET /admin/plans":                                        {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/plans":                                       {domain.RoleAdmin},
	"GET /admin/plans/:id":                                    {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/plans/:id/bulk":                              {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/plans/:id/renew":                             {domain.RoleAdmin, domain.RoleCaseworker},
	"GET /work/roster":                                        {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/roster":                                       {domain.RoleCaseworker, domain.RoleAdmin},
	// finance_pages.go
	"GET /finance":                             {domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin},
	"GET /finance/ledger":                      {domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin},
	"POST /finance/exports":                    {domain.RoleFinance},
	"GET /finance/exports/:id":                 {domain.RoleFinance},
	"GET /finance/exports/:id/download":        {domain.RoleFinance},
	"POST /finance/ledger/entries/:id/reverse": {domain.RoleFinance},
	"POST /finance/recurring/run":              {domain.RoleFinance, domain.RoleAdmin},
	// pages/grants (notices.go)
	"GET /work/notices":              {domain.RoleCaseworker},
	"POST /work/notices/:id/convert": {domain.RoleCaseworker},
	"POST /work/notices/:id/dismiss": {domain.RoleCaseworker},
	// pages/grants (applications)
	"GET /grants":                                 {domain.RoleOfficer, domain.RoleFamily},
	"GET /grants/apply":                           {domain.RoleOfficer, domain.RoleFamily},
	"POST /grants/apply":                          {domain.RoleOfficer, domain.RoleFamily},
	"GET /grants/applications/:id":                anyRole,
	"GET /grants/applications/:id/edit":           anyRole,
	"POST /grants/applications/:id/edit":          anyRole,
	"GET /grants/applications/:id/documents/:doc": anyRole,
	"POST /grants/applications/:id/:step":         anyRole,
	// calculator_pages.go
	"GET /calculators": {domain.RoleCaseworker, domain.RoleApprover},
	// injury_calculations_pages.go
	"POST /cases/:id/calculations": {domain.RoleCaseworker},
	// injury_case_notes.go
	"POST /cases/:id/comments":      anyRole,
	"POST /cases/:id/documents":     anyRole,
	"GET /cases/:id/documents/:doc": anyRole,
	// injury_pages.go
	"GET /injury/report":              {domain.RoleOfficer, domain.RoleFamily, domain.RoleCaseworker, domain.RoleUnitHead},
	"POST /injury/report":             {domain.RoleOfficer, domain.RoleFamily, domain.RoleCaseworker, domain.RoleUnitHead},
	"GET /cases/:id":                  anyRole,
	"POST /cases/:id/actions/:action": anyRole,
	"GET /work/queue":                 {domain.RoleCaseworker, domain.RoleUnitHead},
	// leave_pages.go
	"GET /leave":                        {domain.RoleOfficer},
	"POST /leave/requests":              {domain.RoleOfficer},
	"POST /leave/requests/:id/cancel":   {domain.RoleOfficer},
	"GET /approvals":                    {domain.RoleUnitHead, domain.RoleApprover},
	"POST /approvals/leave/:id/approve": {domain.RoleUnitHead, domain.RoleApprover},
	"POST /approvals/leave/:id/reject":  {domain.RoleUnitHead, domain.RoleApprover},
	// overview_pages.go
	"GET /overview":                {domain.RoleApprover, domain.RoleLeader, domain.RoleUnitHead},
	"GET /overview/export":         {domain.RoleApprover, domain.RoleLeader, domain.RoleUnitHead},
	"POST /overview/uptake-target": {domain.RoleApprover, domain.RoleLeader},
	// leave_year_pages.go
	"GET /finance/compensation":          {domain.RoleFinance},
	"GET /finance/compensation/download": {domain.RoleFinance},
	"POST /finance/compensation/pay":     {domain.RoleFinance},
	"GET /admin/leave":                   {domain.RoleAdmin},
	"POST /admin/leave/rollover":         {domain.RoleAdmin},
	// calendar_pages.go
	"GET /admin/calendar":  {domain.RoleAdmin},
	"POST /admin/calendar": {domain.RoleAdmin},
	// my_pages.go
	"GET /my": {domain.RoleOfficer, domain.RoleFamily},
	// parameter_pages.go
	"GET /admin/parameters":  {domain.RoleAdmin, domain.RoleAuditor},
	"POST /admin/parameters": {domain.RoleAdmin},
	// pages/grants (programs.go)
	"GET /admin/programs":      {domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor},
	"POST /admin/programs":     {domain.RoleAdmin},
	"GET /admin/programs/:id":  {domain.RoleAdmin},
	"POST /admin/programs/:id": {domain.RoleAdmin},
	// recuperation_pages.go
	"POST /care/recuperation/bookings/:id/cancel": {domain.RoleOfficer},
	"GET /work/recuperation-quotas":               {domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleAdmin},
	"POST /work/recuperation-quotas":              {domain.RoleAdmin},
	"POST /work/recuperation-bookings/:id/cancel": {domain.RoleCaseworker},
	// care_admin_pages.go
	"GET /admin/care":                               {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/care/facilities":                   {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/care/sessions":                     {domain.RoleAdmin, domain.RoleCaseworker},
	"POST /admin/care/sessions/:id/capacity":        {domain.RoleAdmin, domain.RoleCaseworker},
	"GET /work/health-check-rounds":                 {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"POST /work/health-check-rounds":                {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"GET /work/health-check-rounds/:id":             {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"POST /work/health-check-rounds/:id/slots":      {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"POST /work/health-check-bookings/:id/complete": {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"POST /work/health-check-bookings/:id/no-show":  {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	"POST /work/health-check-bookings/:id/cancel":   {domain.RoleCaseworker, domain.RoleMedicalCaseworker},
	// fund_pages.go
	"GET /admin/funds":  {domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor},
	"POST /admin/funds": {domain.RoleAdmin},
	// units_pages.go
	"GET /admin/units":      {domain.RoleAdmin, domain.RoleAuditor},
	"POST /admin/units":     {domain.RoleAdmin},
	"POST /admin/units/:id": {domain.RoleAdmin},
	// gateway_api.go
	"GET /api/v1/gateway/me":                  anyRole,
	"GET /api/v1/gateway/users":               {domain.RoleAdmin, domain.RoleAuditor},
	"POST /api/v1/gateway/users":              {domain.RoleAdmin},
	"GET /api/v1/gateway/users/:id":           {domain.RoleAdmin, domain.RoleAuditor},
	"PUT /api/v1/gateway/users/:id":           {domain.RoleAdmin},
	"POST /api/v1/gateway/users/:id/disable":  {domain.RoleAdmin},
	"POST /api/v1/gateway/users/:id/enable":   {domain.RoleAdmin},
	"POST /api/v1/gateway/users/:id/password": {domain.RoleAdmin},
	"PUT /api/v1/gateway/users/:id/oidc":      {domain.RoleAdmin},
	// service_account_api.go
	"GET /api/v1/gateway/service-accounts":             {domain.RoleAdmin, domain.RoleAuditor},
	"POST /api/v1/gateway/service-accounts":            {domain.RoleAdmin},
	"GET /api/v1/gateway/service-accounts/:id":         {domain.RoleAdmin, domain.RoleAuditor},
	"POST /api/v1/gateway/service-accounts/:id/revoke": {domain.RoleAdmin},
	// router.go: the proxy; each service applies its own rules.
	"GET /api/v1/:service/*path":     anyRole,
	"POST /api/v1/:service/*path":    anyRole,
	"PUT /api/v1/:service/*path":     anyRole,
	"PATCH /api/v1/:service/*path":   anyRole,
	"DELETE /api/v1/:service/*path":  anyRole,
	"HEAD /api/v1/:service/*path":    anyRole,
	"OPTIONS /api/v1/:service/*path": anyRole,

	// member_beneficiary_pages.go
	"GET /work/members/:id/beneficiaries/:scheme":  {domain.RoleCaseworker, domain.RoleAdmin},
	"POST /work/members/:id/beneficiaries/:scheme": {domain.RoleCaseworker, domain.RoleAdmin},
	// signin_throttle_pages.go
	"GET /admin/sign-in-throttles":       {domain.RoleAdmin, domain.RoleAuditor},
	"POST /admin/sign-in-throttles/lift": {domain.RoleAdmin},
	// service_account_pages.go
	"GET /admin/service-accounts":             {domain.RoleAdmin, domain.RoleAuditor},
	"POST /admin/service-accounts":            {domain.RoleAdmin},
	"POST /admin/service-accounts/:id/revoke": {domain.RoleAdmin},

	// Notifications: everyone's own inbox and settings; failed deliveries
	// are the admin's.
	"GET /inbox":                          anyRole,
	"POST /inbox/read-all":                anyRole,
	"POST /inbox/:id/read":                anyRole,
	"GET /account/notifications":          anyRole,
	"POST /account/notifications":         anyRole,
	"GET /admin/users/:id/notifications":  {domain.RoleAdmin},
	"POST /admin/users/:id/notifications": {domain.RoleAdmin},
	"GET /admin/deliveries":               {domain.RoleAdmin},
	"POST /admin/deliveries/:id/replay":   {domain.RoleAdmin},

	// webhook_pages.go: outbound webhooks are the admin's alone
	"GET /admin/webhooks":                       {domain.RoleAdmin},
	"POST /admin/webhooks":                      {domain.RoleAdmin},
	"GET /admin/webhooks/:id":                   {domain.RoleAdmin},
	"POST /admin/webhooks/:id":                  {domain.RoleAdmin},
	"POST /admin/webhooks/:id/rotate-secret":    {domain.RoleAdmin},
	"POST /admin/webhooks/:id/delete":           {domain.RoleAdmin},
	"POST /admin/webhooks/:id/replay-dead":      {domain.RoleAdmin},
	"GET /admin/webhook-deliveries/:id":         {domain.RoleAdmin},
	"POST /admin/webhook-deliveries/:id/replay": {domain.RoleAdmin},
	// compensation_wages_pages.go
	"GET /finance/compensation/wages":          {domain.RoleFinance},
	"POST /finance/compensation/wages":         {domain.RoleFinance},
	"GET /finance/compensation/wages/template": {domain.RoleFinance},
	// calendar_notice_pages.go
	"POST /admin/calendar/notice": {domain.RoleAdmin},
}

// everyRole is each role the gateway knows, one test user apiece.
var everyRole = []domain.Role{domain.RoleOfficer, domain.RoleFamily, domain.RoleCaseworker, domain.RoleUnitHead,
	domain.RoleApprover, domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin, domain.RoleMedicalCaseworker, domain.RoleLeader}

// matrixParams are the values put in a route's parameters: a real step or
// action where the handler checks it against a list, a routed service,
// an id that names nothing otherwise.
var matrixParams = map[string]string{
	":step": "submit", ":action": "acknowledge", ":service": "injury", "*path": "cases/x1",
}

// matrixUpstream stands in for every service: it counts what reaches it
// and answers each call with a 404 problem, the answer for an object that
// does not exist. It never refuses a role, so a 403 seen by the test can
// only come from the gateway's own gate.
type matrixUpstream struct{ calls atomic.Int64 }

func (m *matrixUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	m.calls.Add(1)
	w.Header().Set("Content-Type", httpx.ProblemContentType)
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, `{"type":"about:blank","title":"Not found","status":404,"code":"not_found"}`)
}

// TestRoleMatrix walks every route of the router as a user of each role,
// with a valid form (or API) token, and checks the gateway's role gate
// against routeRoles: a role a route is meant for is let through (any
// answer but 403), any other gets 403 without a service being asked.
// A route without a row fails, as does a row whose route is gone.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	up := &matrixUpstream{}
	srv := httptest.NewServer(up)
	t.Cleanup(srv.Close)
	ups, err := httpapi.NewUpstreams(map[string]string{"leave": srv.URL, "injury": srv.URL, "enrollment": srv.URL, "grants": srv.URL},
		tokenForTest, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e := newStubEnv(t, ups)

	renderer, _ := web.NewRenderer()
	engine := httpx.New(httpx.Options{Service: "gateway", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := httpapi.Register(engine, httpapi.Deps{Accounts: e.accounts, Renderer: renderer, Upstreams: ups}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var routes []string
	for _, r := range engine.Routes() {
		key := r.Method + " " + r.Path
		if public[key] || r.Method == http.MethodConnect || r.Method == http.MethodTrace {
			continue
		}
		seen[key] = true
		if _, ok := routeRoles[key]; !ok {
			t.Errorf("route %s has no role row in routeRoles", key)
			continue
		}
		routes = append(routes, key)
	}
	for key := range routeRoles {
		if !seen[key] {
			t.Errorf("routeRoles has a row for %s, which the router does not have", key)
		}
	}
	slices.Sort(routes)

	browsers := map[domain.Role]*browser{}
	tokens := map[domain.Role]string{}
	for _, role := range everyRole {
		name := "matrix-" + string(role)
		e.user(name, role)
		b := e.browser()
		if r := b.signIn(name); r.status != http.StatusSeeOther {
			t.Fatalf("sign in %s = %d", name, r.status)
		}
		browsers[role], tokens[role] = b, b.token("/account")
	}

	forbidden403 := i18n.T(i18n.ZH, "web.error.403")
	for _, key := range routes {
		method, pattern, _ := strings.Cut(key, " ")
		path := matrixPath(pattern)
		allowed := routeRoles[key]
		for _, role := range everyRole {
			t.Run(key+"/as "+string(role), func(t *testing.T) {
				before := up.calls.Load()
				r := matrixRequest(browsers[role], method, path, tokens[role])
				reached := up.calls.Load() > before
				meant := len(allowed) == 0 || slices.Contains(allowed, role)
				switch {
				case r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/signin"):
					t.Errorf("%s %s as %s = sent to sign-in with a session", method, path, role)
				case meant && r.status == http.StatusForbidden:
					t.Errorf("%s %s as %s = 403, but the route is meant for %v", method, path, role, rolesText(allowed))
				case !meant && r.status != http.StatusForbidden:
					t.Errorf("%s %s as %s = %d, want 403 (route is for %v)", method, path, role, r.status, rolesText(allowed))
				case !meant && reached:
					t.Errorf("%s %s as %s: refused, but only after asking a service", method, path, role)
				case !meant && strings.HasPrefix(path, "/api/"):
					if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
						t.Errorf("%s %s as %s: 403 as %q, want problem+json", method, path, role, ct)
					}
				case !meant && !strings.Contains(r.body, forbidden403):
					t.Errorf("%s %s as %s: 403 without the 403 page's message", method, path, role)
				}
			})
		}
	}
}

// TestMenuOffersOnlyAllowedPages checks the menu against the role table:
// no role is shown a link that would answer it 403.
func TestMenuOffersOnlyAllowedPages(t *testing.T) {
	t.Parallel()
	for _, role := range everyRole {
		for _, item := range web.NavFor([]domain.Role{role}, "/") {
			allowed, ok := routeRoles["GET "+item.Path]
			if !ok {
				t.Errorf("menu of %s links %s, which has no GET route in routeRoles", role, item.Path)
				continue
			}
			if len(allowed) > 0 && !slices.Contains(allowed, role) {
				t.Errorf("menu of %s links %s, which is only for %v", role, item.Path, rolesText(allowed))
			}
		}
	}
}

// matrixPath fills a gin path's parameters with matrixParams.
func matrixPath(pattern string) string {
	return routeParam.ReplaceAllStringFunc(pattern, func(p string) string {
		if v, ok := matrixParams[p]; ok {
			return v
		}
		return "x1"
	})
}

// matrixRequest sends one request as b: a form with the session's token
// for a page, JSON with X-CSRF-Token for the API.
func matrixRequest(b *browser, method, path, token string) response {
	b.t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions:
	case strings.HasPrefix(path, "/api/"):
		body, ctype = strings.NewReader(`{}`), "application/json"
	default:
		form := url.Values{"csrf_token": {token}, "version": {"1"}, "year": {"2026"}, "unit": {"unit-1"}, "places": {"3"},
			"comment": {"matrix"}, "reason": {"matrix"}, "code": {"matrix"}, "name": {"matrix"}}
		body, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, _ := http.NewRequest(method, b.e.srv.URL+path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-CSRF-Token", token)
	req.Header.Set("If-Match", `"1"`)
	return b.do(req)
}

func rolesText(roles []domain.Role) string {
	if len(roles) == 0 {
		return "any signed-in user"
	}
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return strings.Join(out, ", ")
}
