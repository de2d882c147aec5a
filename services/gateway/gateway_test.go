package gateway_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// newGateway starts the real service against a fake "injury" service that
// verifies the identity token with the platform's middleware and echoes
// the identity it saw.
func newGateway(t *testing.T) (*apptest.Env, *httptest.Server) {
	t.Helper()
	env := apptest.New(t)
	up := httpx.New(httpx.Options{Service: "fake", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	up.GET("/api/v1/injury/whoami", auth.Middleware(env.Deps.Tokens), func(c *gin.Context) {
		id := auth.Current(c)
		c.JSON(http.StatusOK, gin.H{"user": id.UserID, "member": id.MemberID, "roles": id.Roles, "lang": c.GetHeader(httpx.HeaderLang),
			"expires_in": id.ExpiresAt.Sub(env.Clock.Now()).Seconds()})
	})
	// The real services accept only tokens minted for them.
	for _, svc := range []string{"grants", "leave"} {
		up.GET("/api/v1/"+svc+"/whoami", auth.MiddlewareFor(env.Deps.Tokens, svc), func(c *gin.Context) {
			c.JSON(http.StatusOK, gin.H{"user": auth.Current(c).UserID, "audience": auth.Current(c).Audience})
		})
	}
	upstream := httptest.NewServer(up)
	t.Cleanup(upstream.Close)
	env.Deps.Config.URLs.Injury = upstream.URL
	env.Deps.Config.URLs.Enrollment = upstream.URL
	env.Deps.Config.URLs.Grants = upstream.URL
	env.Deps.Config.URLs.Leave = upstream.URL

	users := gateway.DemoUsers([]string{"unit-1", "unit-2"}, "member-1", "member-1")
	for i := range users {
		users[i].Password = "demo passphrase " + users[i].Username
	}
	creds, err := gateway.SeedUsers(context.Background(), env.Deps, gateway.Config{}, users)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != len(users) || !creds[0].Created || creds[0].Password == "" {
		t.Fatalf("credentials %+v", creds)
	}
	svc, err := gateway.New(context.Background(), env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	return env, srv
}

func testConfig() gateway.Config {
	c := gateway.Config{Schema: "gateway", HTTPAddr: "127.0.0.1:0"}
	c.TokenTTL, c.UpstreamTimeout = 120e9, 5e9
	c.SessionIdle, c.SessionAbsolute = 30*60e9, 12*3600e9
	return c
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*gateway.Config)
		ok   bool
	}{
		{name: "defaults", edit: func(*gateway.Config) {}, ok: true},
		{name: "bad schema", edit: func(c *gateway.Config) { c.Schema = "Bad-Name" }},
		{name: "token too long", edit: func(c *gateway.Config) { c.TokenTTL = 3600e9 }},
		{name: "absolute shorter than idle", edit: func(c *gateway.Config) { c.SessionAbsolute = 60e9 }},
		{name: "half an OIDC setup", edit: func(c *gateway.Config) { c.OIDCIssuer = "https://id.example" }},
		{name: "bad origin", edit: func(c *gateway.Config) { c.TrustedOrigins = []string{"evil.example/path"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := testConfig()
			tc.edit(&c)
			if err := c.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestSignInAndForwardSignedIdentity(t *testing.T) {
	t.Parallel()
	env, srv := newGateway(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	_, page := get("/signin")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no form token on the sign-in page")
	}
	form := url.Values{"csrf_token": {m[1]}, "username": {"officer"}, "password": {"demo passphrase officer"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/my" {
		t.Fatalf("sign-in = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get("/api/v1/injury/whoami")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("whoami = %d %s", resp.StatusCode, body)
	}
	var who struct {
		User      string   `json:"user"`
		Member    string   `json:"member"`
		Roles     []string `json:"roles"`
		Lang      string   `json:"lang"`
		ExpiresIn float64  `json:"expires_in"`
	}
	_ = json.Unmarshal([]byte(body), &who)
	if who.User == "" || who.Member != "member-1" || !slices.Equal(who.Roles, []string{"officer"}) || who.Lang != "zh-CN" {
		t.Errorf("the service saw %+v", who)
	}
	// The gateway mints each service its own token: the one grants gets
	// is for grants, the one leave gets for leave.
	for _, svc := range []string{"grants", "leave"} {
		resp, body := get("/api/v1/" + svc + "/whoami")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"audience":"`+svc+`"`) {
			t.Errorf("%s whoami = %d %s", svc, resp.StatusCode, body)
		}
	}
	if who.ExpiresIn <= 0 || who.ExpiresIn > 120 {
		t.Errorf("token lives %vs, want at most the 2 minutes configured", who.ExpiresIn)
	}
	_ = env
}

func TestReadyOnlyWhenServicesAre(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	env.Deps.Config.URLs.Injury = "http://127.0.0.1:1" // nothing listens there
	env.Deps.Config.URLs.Enrollment = "http://127.0.0.1:1"
	env.Deps.Config.URLs.Grants = "http://127.0.0.1:1"
	env.Deps.Config.URLs.Leave = "http://127.0.0.1:1"
	svc, err := gateway.New(context.Background(), env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	w := env.Do(t, svc.Handler(), nil, http.MethodGet, "/readyz", nil)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "service:injury") {
		t.Fatalf("readyz = %d %s", w.Code, w.Body.String())
	}
	if w := env.Do(t, svc.Handler(), nil, http.MethodGet, "/healthz", nil); w.Code != http.StatusOK {
		t.Fatalf("healthz = %d", w.Code)
	}
}

func TestSeedRefusedInProduction(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	env.Deps.Config.Env = "production"
	if _, err := gateway.SeedUsers(context.Background(), env.Deps, gateway.Config{}, gateway.DemoUsers(nil, "m", "m")); err == nil {
		t.Fatal("demo users seeded in production")
	}
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestRoutesMatchOpenAPI checks that every route of the service is in
// api/openapi/gateway.yaml and every operation there is routed.
func TestRoutesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	svc, err := gateway.New(context.Background(), env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi", "gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" && method != "summary" && method != "description" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	var routed []string
	for _, r := range svc.Handler().(*gin.Engine).Routes() {
		if r.Method == http.MethodConnect || r.Method == http.MethodTrace {
			continue // gin's Any adds them to the proxy; they are not part of the contract
		}
		routed = append(routed, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	for _, r := range routed {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in gateway.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routed, d) {
			t.Errorf("gateway.yaml documents %s, which is not routed", d)
		}
	}
}
