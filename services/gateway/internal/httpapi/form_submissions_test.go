package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

var submissionField = regexp.MustCompile(`name="submission_token" value="([^"]+)"`)

// formTokens reads the CSRF and the first one-time submission token of a
// page's forms.
func (b *browser) formTokens(path string) (csrf, once string) {
	b.t.Helper()
	r := b.get(path)
	m, o := csrfField.FindStringSubmatch(r.body), submissionField.FindStringSubmatch(r.body)
	if m == nil || o == nil {
		b.t.Fatalf("GET %s (%d) lacks a form or submission token", path, r.status)
	}
	return m[1], o[1]
}

// A form sent twice with its one-time token (back and resubmit, a double
// tap) creates once in the real service: the second goes where the first
// went, and the service spent an Idempotency-Key derived from the token.
func TestFormsSubmitOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	tests := []struct {
		name, user, page, action, service string
		form                              url.Values
		// again is what the fresh form changes, so the service may take it
		// beside the first (two leave requests may not overlap).
		again   url.Values
		created func() int
	}{
		{name: "case opening", user: "officer1", page: "/injury/report", action: "/injury/report", service: "injury",
			form:    url.Values{"unit_id": {e.unit}, "severity": {"serious"}, "injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}},
			created: func() int { return len(e.sys.List(t, e.as(officer), "/api/v1/injury/cases", "cases")) }},
		// The grant application (pages/grants) applies once against the
		// real grants service: TestGrantApplyFormsAgainstRealServices.
		{name: "leave request", user: "officer1", page: "/leave", action: "/leave/requests", service: "leave",
			form:    url.Values{"from": {"2026-03-02"}, "to": {"2026-03-04"}},
			again:   url.Values{"from": {"2026-03-09"}, "to": {"2026-03-10"}},
			created: func() int { return len(e.leaveRequests(officer.MemberID)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			b.signIn(tc.user)
			csrf, once := b.formTokens(tc.page)
			tc.form.Set("csrf_token", csrf)
			tc.form.Set("submission_token", once)
			first := b.post(tc.action, tc.form)
			if first.status != http.StatusSeeOther {
				t.Fatalf("first submission = %d: %s", first.status, first.body)
			}
			keys := e.sys.Keys(t, tc.service)
			if n := tc.created(); n != 1 || len(keys) != 1 || !strings.HasPrefix(keys[0], "form-") {
				t.Fatalf("the service holds %d and spent keys %q, want one made with a form-derived Idempotency-Key", n, keys)
			}
			for range 2 {
				again := b.post(tc.action, tc.form)
				if again.status != http.StatusSeeOther || again.header.Get("Location") != first.header.Get("Location") {
					t.Fatalf("resubmission = %d to %q, want the first's result %q", again.status, again.header.Get("Location"), first.header.Get("Location"))
				}
			}
			if n := tc.created(); n != 1 {
				t.Fatalf("the service holds %d after the resubmissions, want 1", n)
			}
			// A fresh form is a new submission.
			csrf, once = b.formTokens(tc.page)
			tc.form.Set("csrf_token", csrf)
			tc.form.Set("submission_token", once)
			for k, v := range tc.again {
				tc.form[k] = v
			}
			if r := b.post(tc.action, tc.form); r.status != http.StatusSeeOther {
				t.Fatalf("a new form = %d", r.status)
			}
			keys = e.sys.Keys(t, tc.service)
			if n := tc.created(); n != 2 || len(keys) != 2 || keys[1] == keys[0] {
				t.Fatalf("a new form: the service holds %d and spent keys %q, want a second made with its own key", n, keys)
			}
		})
	}
}

// A form that came back with errors gives its token back: corrected and
// sent again it goes through, once.
func TestRefusedFormKeepsItsToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("officer1")
	csrf, once := b.formTokens("/leave")
	bad := b.post("/leave/requests", url.Values{"csrf_token": {csrf}, "submission_token": {once}, "from": {"2026-03-04"}, "to": {"2026-03-02"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad period = %d", bad.status)
	}
	if n := len(e.leaveRequests(officer.MemberID)); n != 0 {
		t.Fatalf("a refused form made %d requests", n)
	}
	ok := b.post("/leave/requests", url.Values{"csrf_token": {csrf}, "submission_token": {once}, "from": {"2026-03-02"}, "to": {"2026-03-04"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("corrected = %d", ok.status)
	}
	if r := b.post("/leave/requests", url.Values{"csrf_token": {csrf}, "submission_token": {once}, "from": {"2026-03-02"}, "to": {"2026-03-04"}}); r.status != http.StatusSeeOther {
		t.Fatalf("resubmitted = %d", r.status)
	}
	if n := len(e.leaveRequests(officer.MemberID)); n != 1 {
		t.Fatalf("the service holds %d requests after the refusal, the correction and its resubmission, want 1", n)
	}
}

// The gateway's own JSON API creates a user once per Idempotency-Key, like
// the services' APIs.
func TestGatewayAPICreatesAUserOncePerKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	create := `{"username":"once1","display_name":"新用户","roles":["finance"],"password":"a long new passphrase"}`
	first := b.api(http.MethodPost, "/api/v1/gateway/users", create, "Idempotency-Key", "user-once1")
	if first.status != http.StatusCreated {
		t.Fatalf("create = %d %s", first.status, first.body)
	}
	again := b.api(http.MethodPost, "/api/v1/gateway/users", create, "Idempotency-Key", "user-once1")
	if again.status != http.StatusCreated || again.body != first.body || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry = %d %s, want the first answer replayed", again.status, again.body)
	}
	other := b.api(http.MethodPost, "/api/v1/gateway/users", strings.Replace(create, "once1", "once2", 1), "Idempotency-Key", "user-once1")
	if other.status != http.StatusUnprocessableEntity || problemCode(t, other) != "idempotency.key_reused" {
		t.Fatalf("key reused = %d %s", other.status, other.body)
	}
	list := b.api(http.MethodGet, "/api/v1/gateway/users", "")
	if n := strings.Count(list.body, `"username":"once1"`); n != 1 {
		t.Fatalf("%d users once1, want 1", n)
	}
}
