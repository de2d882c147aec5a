package client_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/api/client"
	grants "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// A refusal comes back from a generated method as a *client.Error with the
// problem's code and body, and no typed response; a 2xx comes back parsed.
func TestRefusalsTurnProblemsIntoErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/grants/funds/11111111-1111-4111-8111-111111111111":
			w.Header().Set("ETag", `W/"7"`)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"11111111-1111-4111-8111-111111111111","fiscal_year":2026,"name":"基金","appropriation":100}`)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusConflict)
			_, _ = io.WriteString(w, `{"type":"https://anxin/problems/grants.budget_exhausted","title":"预算不足","status":409,"code":"grants.budget_exhausted"}`)
		}
	}))
	defer srv.Close()
	c, err := grants.NewClientWithResponses(client.Server(srv.URL, "grants"), grants.WithHTTPClient(client.Refusals(srv.Client())))
	if err != nil {
		t.Fatal(err)
	}

	r, err := c.GetFundWithResponse(t.Context(), "11111111-1111-4111-8111-111111111111")
	if err != nil {
		t.Fatalf("a 200 answer: %v", err)
	}
	if r.JSON200 == nil || r.JSON200.Name != "基金" || r.JSON200.Appropriation != 100 {
		t.Fatalf("the fund was not parsed: %+v", r.JSON200)
	}
	if v := client.Version(r.HTTPResponse); v != 7 {
		t.Errorf("version from a weak ETag = %d, want 7", v)
	}

	_, err = c.ApproveApplicationWithResponse(t.Context(), "22222222-2222-4222-8222-222222222222",
		&grants.ApproveApplicationParams{IfMatch: client.Tag(3)}, grants.ApplicationStep{})
	var refused *client.Error
	if !errors.As(err, &refused) {
		t.Fatalf("a 409 answer gave %v, want a *client.Error", err)
	}
	if refused.Status != http.StatusConflict || refused.Code != "grants.budget_exhausted" || refused.Method != http.MethodPost ||
		refused.Path != "/api/v1/grants/applications/22222222-2222-4222-8222-222222222222/approve" {
		t.Errorf("refusal = %+v", refused)
	}
	if !strings.Contains(refused.Error(), "409") || !strings.Contains(refused.Error(), "grants.budget_exhausted") {
		t.Errorf("the message does not say what was refused: %s", refused.Error())
	}
}

// A body that is not a problem still makes an error, with no code.
func TestRefusalWithoutAProblemBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream down", http.StatusBadGateway)
	}))
	defer srv.Close()
	c, err := grants.NewClientWithResponses(client.Server(srv.URL+"/", "grants"), grants.WithHTTPClient(client.Refusals(srv.Client())))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListFundsWithResponse(t.Context(), &grants.ListFundsParams{})
	var refused *client.Error
	if !errors.As(err, &refused) || refused.Status != http.StatusBadGateway || refused.Code != "" || refused.Path != "/api/v1/grants/funds" {
		t.Fatalf("got %v (%+v)", err, refused)
	}
}

// The editors set the headers the services read; As mints a token the
// named service accepts and another refuses.
func TestEditors(t *testing.T) {
	t.Parallel()
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	tokens := auth.NewTokens(keys, clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
	req := httptest.NewRequest(http.MethodPost, "/api/v1/grants/funds", nil)
	who := auth.Identity{UserID: "u1", Name: "测试", Roles: []auth.Role{auth.RoleAdmin}}
	for _, e := range []client.Editor{client.As(tokens, who, "grants"), client.IfMatch(4), client.IdempotencyKey("k-1"), client.Language("en")} {
		if err := e(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	}
	tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	if !ok {
		t.Fatalf("Authorization = %q", req.Header.Get("Authorization"))
	}
	if got, err := tokens.VerifyFor(tok, "grants"); err != nil || got.UserID != "u1" {
		t.Errorf("the token for grants: %+v, %v", got, err)
	}
	if _, err := tokens.VerifyFor(tok, "leave"); err == nil {
		t.Errorf("a token minted for grants is accepted by leave")
	}
	for h, want := range map[string]string{"If-Match": `"4"`, "Idempotency-Key": "k-1", "Accept-Language": "en"} {
		if got := req.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if err := client.Bearer("abc")(t.Context(), req); err != nil || req.Header.Get("Authorization") != "Bearer abc" {
		t.Errorf("Bearer: %q, %v", req.Header.Get("Authorization"), err)
	}
}

func TestVersionAndServer(t *testing.T) {
	t.Parallel()
	for etag, want := range map[string]int64{`"3"`: 3, `W/"12"`: 12, "": 0, `"x"`: 0} {
		resp := &http.Response{Header: http.Header{}}
		if etag != "" {
			resp.Header.Set("ETag", etag)
		}
		if got := client.Version(resp); got != want {
			t.Errorf("Version(%q) = %d, want %d", etag, got, want)
		}
	}
	if client.Version(nil) != 0 {
		t.Errorf("Version(nil) is not 0")
	}
	if got := client.Server("http://127.0.0.1:8081/", "leave"); got != "http://127.0.0.1:8081/api/v1/leave" {
		t.Errorf("Server = %q", got)
	}
	if got := client.Tag(5); got != `"5"` {
		t.Errorf("Tag(5) = %q", got)
	}
}
