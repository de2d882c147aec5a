package webkit_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// session is the session layer as the kit sees it: one signed-in user in
// English, and a call context that keys a form's POSTs the way httpapi's
// submission tokens do (here by the call itself, so the test can see which
// call was keyed).
type session struct {
	user *domain.User
	mu   sync.Mutex
	keys []string
}

func (s *session) User(*gin.Context) *domain.User { return s.user }
func (s *session) Lang(*gin.Context) i18n.Lang    { return i18n.EN }
func (s *session) Page(_ *gin.Context, title string) *web.Page {
	return &web.Page{Lang: i18n.EN, Title: title, Path: "/"}
}
func (s *session) RequireUser(...domain.Role) gin.HandlerFunc { return func(*gin.Context) {} }
func (s *session) WithUnitNames(*gin.Context, *web.Page)      {}
func (s *session) CallContext(c *gin.Context, method, service, path string) context.Context {
	if method != http.MethodPost {
		return c.Request.Context()
	}
	key := method + " " + service + " " + path
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return reqctx.WithIdempotencyKey(c.Request.Context(), "key:"+key)
}

// kitFor is a kit whose leave service is the handler h, reached through the
// gateway's own Upstreams (replica set, timeout, identity token).
func kitFor(t *testing.T, h http.HandlerFunc) (*webkit.Kit, *session) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	token := func(u *domain.User, l i18n.Lang, audience string) (string, error) {
		return u.ID + "|" + string(l) + "|" + audience, nil
	}
	ups, err := httpapi.NewUpstreams(map[string]string{"leave": srv.URL}, token, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	s := &session{user: &domain.User{ID: "u-1", Roles: []domain.Role{domain.RoleAdmin}}}
	return &webkit.Kit{Renderer: renderer, Clock: clock.System{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Session: s, Routes: ups}, s
}

func pageRequest(method, path string) (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(method, path, nil)
	return c, w
}

// A page's generated client goes to the service's replica with the identity
// token minted for that service's audience, the page's language, and the
// Idempotency-Key the session gives a form's POST; a GET carries none.
func TestKitClientsAreSignedForTheService(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	got := map[string]http.Header{}
	k, s := kitFor(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.Method+" "+r.URL.Path] = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"year":2026,"members":3,"closed":1,"open":2,"carried":0,"expired":0,"closable":true,"last_closed_at":null}`)
	})
	c, _ := pageRequest(http.MethodPost, "/admin/leave/rollover")
	api, err := k.Leave(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := webkit.Done(api.Rollover(c.Request.Context(), 2026)); err != nil {
		t.Fatalf("rollover: %v", err)
	}
	r, err := api.GetRolloverStateWithResponse(c.Request.Context(), 2026)
	if err != nil || r.JSON200 == nil || r.JSON200.Open != 2 {
		t.Fatalf("rollover state: %+v, %v", r, err)
	}
	post, get := got["POST /api/v1/leave/rollovers/2026"], got["GET /api/v1/leave/rollovers/2026"]
	if post == nil || get == nil {
		t.Fatalf("the service received %v", got)
	}
	for name, h := range map[string]http.Header{"POST": post, "GET": get} {
		if a := h.Get("Authorization"); a != "Bearer u-1|en|leave" {
			t.Errorf("%s: Authorization = %q, want the user's token for leave in English", name, a)
		}
		if l := h.Get(httpx.HeaderLang); l != "en" {
			t.Errorf("%s: %s = %q", name, httpx.HeaderLang, l)
		}
	}
	if k := post.Get("Idempotency-Key"); k != "key:POST leave /api/v1/leave/rollovers/2026" {
		t.Errorf("the POST's Idempotency-Key = %q", k)
	}
	if k := get.Get("Idempotency-Key"); k != "" {
		t.Errorf("the GET carries an Idempotency-Key %q", k)
	}
	if len(s.keys) != 1 {
		t.Errorf("calls keyed: %v", s.keys)
	}
	if k.Routed("grants") {
		t.Error("a service the gateway does not route is reported routed")
	}
	if _, err := k.Grants(c); !errors.Is(err, webkit.ErrNotRouted) {
		t.Errorf("a client of an unrouted service: %v", err)
	}
}

// A refusal comes back as the service meant it: field problems by their
// fields (renamed where the form names them otherwise), a rule's words at
// the top, the status a refused form answers with, and what a page does
// not explain (a plain 403, a 404) left to ServiceFailed.
func TestRefusalsOnForms(t *testing.T) {
	t.Parallel()
	answers := map[string]struct {
		status int
		body   string
	}{
		"2001": {422, `{"code":"validation_failed","title":"Invalid","errors":[{"field":"comment","code":"field.required","message":"Give a reason"},{"field":"after","code":"field.invalid","message":"bad cursor"}]}`},
		"2002": {409, `{"code":"version_mismatch","title":"Changed meanwhile"}`},
		"2003": {403, `{"code":"forbidden","title":"Forbidden"}`},
		"2004": {403, `{"code":"leave.rollover.too_early","title":"Too early","detail":"the year has not ended"}`},
		"2005": {404, `{"code":"not_found","title":"Not found"}`},
	}
	k, _ := kitFor(t, func(w http.ResponseWriter, r *http.Request) {
		a := answers[strings.TrimPrefix(r.URL.Path, "/api/v1/leave/rollovers/")]
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	})
	c, _ := pageRequest(http.MethodPost, "/admin/leave/rollover")
	api, err := k.Leave(c)
	if err != nil {
		t.Fatal(err)
	}
	refusal := func(year int) error {
		return webkit.Done(api.Rollover(c.Request.Context(), year))
	}

	err = refusal(2001)
	form := web.NewForm()
	if !webkit.ProblemOnForm(err, form, map[string]string{"comment": "comment-7"}) || webkit.StatusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("a 422: on the form %v, status %d", form.HasErrors(), webkit.StatusOf(err))
	}
	if e := form.Errors("comment-7"); len(e) != 1 || e[0].Text != "Give a reason" {
		t.Errorf("the comment's problem: %v", e)
	}
	if !webkit.StaleCursor(err) {
		t.Error("a refused after cursor is not seen as stale")
	}

	err = refusal(2002)
	if !webkit.VersionMismatch(err) || webkit.StatusOf(err) != http.StatusConflict || webkit.StaleCursor(err) {
		t.Errorf("a stale version: mismatch %v, status %d", webkit.VersionMismatch(err), webkit.StatusOf(err))
	}
	if webkit.ProblemOnForm(refusal(2003), web.NewForm(), nil) {
		t.Error("a plain 403 is put on the form instead of the 403 page")
	}
	form = web.NewForm()
	if err := refusal(2004); !webkit.ProblemOnForm(err, form, nil) || webkit.StatusOf(err) != http.StatusForbidden {
		t.Error("a 403 with a rule of its own is not explained on the form")
	}
	if g := form.General(); len(g) != 1 || g[0].Text != "Too early: the year has not ended" {
		t.Errorf("the rule's words: %v", g)
	}
	if err := refusal(2005); webkit.ProblemOnForm(err, web.NewForm(), nil) || !webkit.Refused(err, http.StatusNotFound) {
		t.Error("a 404 is not left to the 404 page")
	}
}

// ServiceFailed shows the page the service's answer means: its 404 and 403
// as ours, a 401 as a new sign-in, an unreachable service as 503.
func TestServiceFailedShowsWhatTheServiceMeant(t *testing.T) {
	t.Parallel()
	status := http.StatusNotFound
	var mu sync.Mutex
	k, _ := kitFor(t, func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"code":"x","title":"x"}`)
	})
	for _, tc := range []struct {
		name    string
		service int
		want    int
		where   string
	}{
		{"not found", http.StatusNotFound, http.StatusNotFound, ""},
		{"forbidden", http.StatusForbidden, http.StatusForbidden, ""},
		{"token expired", http.StatusUnauthorized, http.StatusSeeOther, "/signin?m=session_ended&next=%2Fadmin%2Fcalendar%3Fyear%3D2026"},
		{"other refusal", http.StatusConflict, http.StatusBadRequest, ""},
		{"service failing", http.StatusBadGateway, http.StatusServiceUnavailable, ""},
	} {
		mu.Lock()
		status = tc.service
		mu.Unlock()
		c, w := pageRequest(http.MethodGet, "/admin/calendar?year=2026")
		api, err := k.Leave(c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = api.GetCalendarWithResponse(c.Request.Context(), 2026)
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		k.ServiceFailed(c, err)
		if w.Code != tc.want || w.Header().Get("Location") != tc.where {
			t.Errorf("%s: page %d to %q, want %d to %q", tc.name, w.Code, w.Header().Get("Location"), tc.want, tc.where)
		}
	}
}
