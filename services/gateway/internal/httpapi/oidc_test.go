package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// fakeProvider is an OIDC provider: oidctest's discovery and keys, and a
// token endpoint that answers any code with an ID token for subject.
type fakeProvider struct {
	*oidctest.Server
	key     *rsa.PrivateKey
	url     string
	mu      sync.Mutex
	subject string
	nonce   string
}

func newProvider(t *testing.T) *fakeProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeProvider{key: key, Server: &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.RS256}}}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	p.SetIssuer(srv.URL)
	return p
}

func (p *fakeProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/token" {
		p.Server.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	claims, _ := json.Marshal(map[string]any{"iss": p.url, "aud": "anxin", "sub": p.subject, "nonce": p.nonce,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600,
		"id_token": oidctest.SignIDToken(p.key, "k1", oidc.RS256, string(claims))})
}

func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	p := newProvider(t)
	o, err := httpapi.NewOIDC(t.Context(), httpapi.OIDCConfig{Issuer: p.url, ClientID: "anxin", ClientSecret: "s", RedirectURL: "http://gateway/signin/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(d *httpapi.Deps) { d.OIDC = o })
	u := e.user("linked", domain.RoleFinance)
	if _, err := e.accounts.LinkExternal(t.Context(), u.ID, 0, p.url, "prov-123", store.Actor{UserID: "admin"}); err != nil {
		t.Fatal(err)
	}

	start := func(b *browser) (state string) {
		t.Helper()
		r := b.get("/signin/oidc?next=/finance")
		loc, err := url.Parse(r.header.Get("Location"))
		if r.status != http.StatusFound || err != nil || !strings.HasPrefix(r.header.Get("Location"), p.url+"/auth") {
			t.Fatalf("start = %d %s", r.status, r.header.Get("Location"))
		}
		q := loc.Query()
		if q.Get("code_challenge") == "" || q.Get("nonce") == "" {
			t.Error("no PKCE challenge or nonce in the authorization request")
		}
		p.mu.Lock()
		p.nonce = q.Get("nonce")
		p.mu.Unlock()
		return q.Get("state")
	}
	tests := []struct {
		name       string
		subject    string
		badState   bool
		wantStatus int
		wantLoc    string
	}{
		{name: "linked subject signs in", subject: "prov-123", wantStatus: http.StatusSeeOther, wantLoc: "/finance"},
		{name: "unlinked subject is refused", subject: "prov-999", wantStatus: http.StatusUnauthorized},
		{name: "forged state is refused", subject: "prov-123", badState: true, wantStatus: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			state := start(b)
			if tc.badState {
				state = "forged-" + strconv.Itoa(len(state))
			}
			p.mu.Lock()
			p.subject = tc.subject
			p.mu.Unlock()
			r := b.get("/signin/oidc/callback?code=abc&state=" + url.QueryEscape(state))
			if r.status != tc.wantStatus || r.header.Get("Location") != tc.wantLoc {
				t.Fatalf("callback = %d %s", r.status, r.header.Get("Location"))
			}
			if tc.wantStatus == http.StatusSeeOther {
				if me := b.get("/api/v1/gateway/me"); me.status != http.StatusOK || !strings.Contains(me.body, u.ID) {
					t.Errorf("no session after single sign-on: %d", me.status)
				}
			}
		})
	}
	if r := e.browser().get("/signin"); !strings.Contains(r.body, "/signin/oidc") {
		t.Error("the sign-in page does not offer single sign-on")
	}
}
