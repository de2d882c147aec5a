package auth_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func mustKeys(t testing.TB) *auth.Keys {
	t.Helper()
	k, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var officer = auth.Identity{
	UserID:   "u-1",
	MemberID: "m-1",
	Name:     "王警官",
	Roles:    []auth.Role{auth.RoleOfficer, auth.RoleCaseworker},
	Units:    []string{"unit-police", "unit-court"},
	Lang:     i18n.EN,
}

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	keys := mustKeys(t)
	clk := clock.NewFake(start)
	tokens := auth.NewTokens(keys, clk)
	tests := []struct {
		name string
		id   auth.Identity
	}{
		{name: "officer", id: officer},
		{name: "minimal", id: auth.Identity{UserID: "u-2"}},
		{name: "service", id: auth.ServiceIdentity("grants")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := tokens.Issue(tt.id, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tokens.Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := tt.id
			want.IssuedAt, want.ExpiresAt = start, start.Add(5*time.Minute)
			if want.Roles == nil {
				want.Roles = []auth.Role{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Verify = %+v\nwant     %+v", got, want)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	keys := mustKeys(t)
	clk := clock.NewFake(start)
	tokens := auth.NewTokens(keys, clk)
	good, err := tokens.Issue(officer, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	body, sig, _ := strings.Cut(good, ".")

	other := auth.NewTokens(mustKeys(t), clk)
	foreign, _ := other.Issue(officer, time.Minute)
	intruder, _ := other.Issue(auth.Identity{UserID: "intruder", Roles: []auth.Role{auth.RoleAdmin}}, time.Minute)

	// A payload signed with our key but not of our type or shape.
	sign := func(payload map[string]any) string {
		b, _ := json.Marshal(payload)
		enc := base64.RawURLEncoding.EncodeToString(b)
		s := ed25519.Sign(keys.SigningKey, []byte("anxin identity token\x00"+enc))
		return enc + "." + base64.RawURLEncoding.EncodeToString(s)
	}
	now := start.Unix()
	// Flip one character of the payload: still valid base64, different bytes.
	tampered := []byte(body)
	tampered[10] ^= 1
	if tampered[10] == '-' || tampered[10] == '_' {
		tampered[10] = 'A'
	}

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{name: "empty", token: "", want: auth.ErrInvalidToken},
		{name: "one part", token: body, want: auth.ErrInvalidToken},
		{name: "three parts", token: good + ".x", want: auth.ErrInvalidToken},
		{name: "tampered payload", token: string(tampered) + "." + sig, want: auth.ErrInvalidToken},
		{name: "truncated signature", token: body + "." + sig[:len(sig)-2], want: auth.ErrInvalidToken},
		{name: "padded signature", token: good + "=", want: auth.ErrInvalidToken},
		{name: "signature of another token", token: strings.Split(intruder, ".")[0] + "." + sig, want: auth.ErrInvalidToken},
		{name: "wrong key", token: foreign, want: auth.ErrInvalidToken},
		{name: "wrong type", token: sign(map[string]any{"typ": "jwt", "sub": "u", "iat": now, "exp": now + 60}), want: auth.ErrInvalidToken},
		{name: "no type", token: sign(map[string]any{"sub": "u", "iat": now, "exp": now + 60}), want: auth.ErrInvalidToken},
		{name: "no subject", token: sign(map[string]any{"typ": auth.TokenType, "iat": now, "exp": now + 60}), want: auth.ErrInvalidToken},
		{name: "expiry before issue", token: sign(map[string]any{"typ": auth.TokenType, "sub": "u", "iat": now, "exp": now - 1}), want: auth.ErrInvalidToken},
		{name: "issued in the future", token: sign(map[string]any{"typ": auth.TokenType, "sub": "u", "iat": now + 60, "exp": now + 120}), want: auth.ErrInvalidToken},
		{name: "payload not json", token: signRaw(keys, "not json"), want: auth.ErrInvalidToken},
		{name: "too long", token: strings.Repeat("a", 9000) + "." + sig, want: auth.ErrInvalidToken},
		{name: "expired", token: sign(map[string]any{"typ": auth.TokenType, "sub": "u", "iat": now - 600, "exp": now - 31}), want: auth.ErrExpired},
		{name: "expired within skew is fine", token: sign(map[string]any{"typ": auth.TokenType, "sub": "u", "iat": now - 600, "exp": now - 29})},
		{name: "issued slightly ahead is fine", token: sign(map[string]any{"typ": auth.TokenType, "sub": "u", "iat": now + 29, "exp": now + 90})},
		{name: "good", token: good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tokens.Verify(tt.token)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func signRaw(keys *auth.Keys, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString([]byte(payload))
	s := ed25519.Sign(keys.SigningKey, []byte("anxin identity token\x00"+enc))
	return enc + "." + base64.RawURLEncoding.EncodeToString(s)
}

func TestTokenExpiresWithTheClock(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(start)
	tokens := auth.NewTokens(mustKeys(t), clk)
	tok, err := tokens.Issue(officer, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		advance time.Duration
		want    error
	}{
		{advance: 9 * time.Minute},
		{advance: time.Minute},      // at expiry, within skew
		{advance: 29 * time.Second}, // still within skew
		{advance: time.Second, want: auth.ErrExpired},
		{advance: time.Hour, want: auth.ErrExpired},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		if _, err := tokens.Verify(tok); !errors.Is(err, s.want) || (s.want == nil) != (err == nil) {
			t.Fatalf("at %v: Verify = %v, want %v", clk.Now().Sub(start), err, s.want)
		}
	}
}

func TestIssueRejects(t *testing.T) {
	t.Parallel()
	tokens := auth.NewTokens(mustKeys(t), clock.NewFake(start))
	tests := []struct {
		name string
		id   auth.Identity
		ttl  time.Duration
	}{
		{name: "no user", id: auth.Identity{Roles: []auth.Role{auth.RoleAdmin}}, ttl: time.Minute},
		{name: "unknown role", id: auth.Identity{UserID: "u", Roles: []auth.Role{"root"}}, ttl: time.Minute},
		{name: "zero ttl", id: officer, ttl: 0},
		{name: "negative ttl", id: officer, ttl: -time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := tokens.Issue(tt.id, tt.ttl); !errors.Is(err, auth.ErrBadIdentity) {
				t.Errorf("Issue = %v, want ErrBadIdentity", err)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, r := range roles.All() {
		got, err := roles.Parse(string(r))
		if err != nil || got != r || !r.Valid() {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
		if !i18n.Has(r.MessageKey()) || r.Label(i18n.ZH) == r.MessageKey() {
			t.Errorf("role %q has no label", r)
		}
	}
	for _, s := range []string{"", "Admin", "root", "admin ", "officer,admin"} {
		if _, err := roles.Parse(s); !errors.Is(err, auth.ErrUnknownRole) {
			t.Errorf("ParseRole(%q) = %v, want ErrUnknownRole", s, err)
		}
	}
	if err := i18n.Validate(); err != nil {
		t.Error(err)
	}
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     auth.Identity
		roles  []auth.Role
		unit   string
		has    bool
		inUnit bool
	}{
		{name: "has one of", id: officer, roles: []auth.Role{auth.RoleAdmin, auth.RoleCaseworker}, unit: "unit-court", has: true, inUnit: true},
		{name: "has none", id: officer, roles: []auth.Role{auth.RoleFinance}, unit: "unit-justice"},
		{name: "no roles asked", id: officer, unit: ""},
		{name: "admin implies nothing", id: auth.Identity{UserID: "a", Roles: []auth.Role{auth.RoleAdmin}}, roles: []auth.Role{auth.RoleApprover}},
		{name: "nobody", id: auth.Identity{}, roles: []auth.Role{auth.RoleOfficer}, unit: "unit-police"},
		{name: "service", id: auth.ServiceIdentity("leave"), roles: []auth.Role{auth.RoleService}, has: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.id.Has(tt.roles...); got != tt.has {
				t.Errorf("Has(%v) = %v", tt.roles, got)
			}
			if got := tt.id.InUnit(tt.unit); got != tt.inUnit {
				t.Errorf("InUnit(%q) = %v", tt.unit, got)
			}
		})
	}
	ctx := auth.WithIdentity(t.Context(), officer)
	if got, ok := auth.FromContext(ctx); !ok || got.UserID != officer.UserID {
		t.Errorf("FromContext = %+v, %v", got, ok)
	}
	if _, ok := auth.FromContext(t.Context()); ok {
		t.Error("FromContext on an empty context reported an identity")
	}
}

func TestKeysFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "nested", "secrets", "keys.json")

	if _, err := auth.LoadKeys(path); !errors.Is(err, auth.ErrKeysMissing) || !strings.Contains(err.Error(), path) {
		t.Fatalf("LoadKeys on a missing file = %v", err)
	}
	k1, created, err := auth.LoadOrCreateKeys(path)
	if err != nil || !created {
		t.Fatalf("LoadOrCreateKeys = %v, created %v", err, created)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("keys file mode %v, want 0600", info.Mode().Perm())
	}
	if dinfo, _ := os.Stat(filepath.Dir(path)); dinfo.Mode().Perm() != 0o700 {
		t.Errorf("keys directory mode %v, want 0700", dinfo.Mode().Perm())
	}
	k2, created, err := auth.LoadOrCreateKeys(path)
	if err != nil || created {
		t.Fatalf("second LoadOrCreateKeys = %v, created %v", err, created)
	}
	if !k1.SigningKey.Equal(k2.SigningKey) || string(k1.FieldKey) != string(k2.FieldKey) || string(k1.IndexKey) != string(k2.IndexKey) {
		t.Error("reloaded keys differ")
	}
	// Tokens signed before a restart verify after it.
	tok, _ := auth.NewTokens(k1, clock.NewFake(start)).Issue(officer, time.Minute)
	if _, err := auth.NewTokens(k2, clock.NewFake(start)).Verify(tok); err != nil {
		t.Errorf("token from reloaded keys: %v", err)
	}
	for _, s := range []string{k1.String(), k1.GoString(), k1.LogValue().String()} {
		if strings.Contains(s, base64.StdEncoding.EncodeToString(k1.FieldKey)) || !strings.Contains(s, "REDACTED") {
			t.Errorf("keys printed as %q", s)
		}
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("k", "keys", k1)
	if !strings.Contains(logged.String(), "REDACTED") {
		t.Errorf("slog shows %s", logged.String())
	}
}

func TestLoadOrCreateKeysConcurrently(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys.json")
	const n = 8
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		creates int
		seeds   = map[string]bool{}
	)
	for range n {
		wg.Go(func() {
			k, created, err := auth.LoadOrCreateKeys(path)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if created {
				creates++
			}
			seeds[string(k.SigningKey.Seed())] = true
		})
	}
	wg.Wait()
	if creates != 1 || len(seeds) != 1 {
		t.Errorf("%d creators and %d distinct keys, want 1 and 1", creates, len(seeds))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left behind %d files", len(entries))
	}
}

func TestLoadKeysMalformed(t *testing.T) {
	t.Parallel()
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	seq := func(n int, from byte) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = from + byte(i)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name     string
		contents string
		mention  string
	}{
		{name: "empty", contents: "", mention: "JSON"},
		{name: "not json", contents: "signing_key=abc", mention: "JSON"},
		{name: "bad base64", contents: `{"version":1,"signing_key":"%%%","field_key":"","index_key":""}`, mention: "JSON"},
		{name: "wrong version", contents: `{"version":2,"signing_key":"` + b64(32) + `","field_key":"` + seq(32, 1) + `","index_key":"` + seq(32, 2) + `"}`, mention: "version"},
		{name: "short signing key", contents: `{"version":1,"signing_key":"` + b64(16) + `","field_key":"` + seq(32, 1) + `","index_key":"` + seq(32, 2) + `"}`, mention: "signing_key"},
		{name: "missing field key", contents: `{"version":1,"signing_key":"` + b64(32) + `","index_key":"` + seq(32, 2) + `"}`, mention: "field_key"},
		{name: "long index key", contents: `{"version":1,"signing_key":"` + b64(32) + `","field_key":"` + seq(32, 1) + `","index_key":"` + seq(64, 2) + `"}`, mention: "index_key"},
		{name: "same symmetric keys", contents: `{"version":1,"signing_key":"` + b64(32) + `","field_key":"` + seq(32, 1) + `","index_key":"` + seq(32, 1) + `"}`, mention: "differ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "keys.json")
			if err := os.WriteFile(path, []byte(tt.contents), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := auth.LoadKeys(path)
			if !errors.Is(err, auth.ErrKeysMalformed) || !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(), path) {
				t.Errorf("LoadKeys = %v, want ErrKeysMalformed naming %q and the path", err, tt.mention)
			}
			// A malformed file is never silently replaced with new keys.
			if _, created, err := auth.LoadOrCreateKeys(path); created || !errors.Is(err, auth.ErrKeysMalformed) {
				t.Errorf("LoadOrCreateKeys = created %v, %v", created, err)
			}
		})
	}
	t.Run("unreadable is not missing", func(t *testing.T) {
		t.Parallel()
		_, err := auth.LoadKeys(t.TempDir()) // a directory
		if err == nil || errors.Is(err, auth.ErrKeysMissing) || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("LoadKeys(dir) = %v", err)
		}
	})
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(start)
	tokens := auth.NewTokens(mustKeys(t), clk)
	foreign := auth.NewTokens(mustKeys(t), clk)
	e := httpx.New(httpx.Options{Logger: slog.New(slog.DiscardHandler)})
	api := e.Group("/api", auth.Middleware(tokens))
	api.GET("/me", func(c *gin.Context) {
		id := auth.Current(c)
		fromCtx, _ := auth.FromContext(c.Request.Context())
		c.JSON(http.StatusOK, gin.H{"user": id.UserID, "ctx_user": fromCtx.UserID, "lang": httpx.Lang(c)})
	})
	api.GET("/ledger", auth.Require(auth.RoleFinance, auth.RoleAuditor), func(c *gin.Context) {
		c.Status(http.StatusNoContent)
	})
	e.GET("/open", auth.Require(auth.RoleAdmin), func(c *gin.Context) { c.Status(http.StatusNoContent) })

	issue := func(tk *auth.Tokens, id auth.Identity) string {
		s, err := tk.Issue(id, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	officerTok := issue(tokens, officer)
	financeTok := issue(tokens, auth.Identity{UserID: "f-1", Roles: []auth.Role{auth.RoleFinance}})

	tests := []struct {
		name       string
		target     string
		auth       string
		wantStatus int
		wantCode   string
		wantBody   string
	}{
		{name: "no header", target: "/api/me", wantStatus: 401, wantCode: "unauthenticated"},
		{name: "basic scheme", target: "/api/me", auth: "Basic dXNlcjpwYXNz", wantStatus: 401, wantCode: "unauthenticated"},
		{name: "bearer without token", target: "/api/me", auth: "Bearer ", wantStatus: 401, wantCode: "unauthenticated"},
		{name: "garbage token", target: "/api/me", auth: "Bearer abc.def", wantStatus: 401, wantCode: "unauthenticated"},
		{name: "foreign key", target: "/api/me", auth: "Bearer " + issue(foreign, officer), wantStatus: 401, wantCode: "unauthenticated"},
		{name: "valid", target: "/api/me", auth: "Bearer " + officerTok, wantStatus: 200, wantBody: `{"ctx_user":"u-1","lang":"en","user":"u-1"}`},
		{name: "scheme case-insensitive", target: "/api/me", auth: "bearer " + officerTok, wantStatus: 200},
		{name: "role missing", target: "/api/ledger", auth: "Bearer " + officerTok, wantStatus: 403, wantCode: "forbidden"},
		{name: "role present", target: "/api/ledger", auth: "Bearer " + financeTok, wantStatus: 204},
		{name: "require without middleware", target: "/open", wantStatus: 401, wantCode: "unauthenticated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantCode != "" {
				var p struct{ Code string }
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code != tt.wantCode {
					t.Errorf("body %s, want code %s", rec.Body, tt.wantCode)
				}
				if rec.Header().Get("Content-Type") != httpx.ProblemContentType {
					t.Errorf("Content-Type = %q", rec.Header().Get("Content-Type"))
				}
			}
			if tt.wantStatus == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if tt.wantBody != "" && rec.Body.String() != tt.wantBody {
				t.Errorf("body = %s, want %s", rec.Body, tt.wantBody)
			}
		})
	}

	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		clk := clock.NewFake(start)
		tk := auth.NewTokens(mustKeys(t), clk)
		tok := issue(tk, officer)
		e := httpx.New(httpx.Options{Logger: slog.New(slog.DiscardHandler)})
		e.GET("/x", auth.Middleware(tk), func(c *gin.Context) { c.Status(http.StatusNoContent) })
		for _, step := range []struct {
			advance time.Duration
			want    int
		}{{0, 204}, {2 * time.Minute, 401}} {
			clk.Advance(step.advance)
			req := httptest.NewRequest(http.MethodGet, "/x", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != step.want {
				t.Errorf("after %v: status %d, want %d", step.advance, rec.Code, step.want)
			}
		}
	})
}

// TestTokensAreBoundToTheirService: a token carries the service it was
// minted for; VerifyFor and MiddlewareFor accept it only there.
func TestTokensAreBoundToTheirService(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(start)
	tokens := auth.NewTokens(mustKeys(t), clk)
	forGrants := officer
	forGrants.Audience = "grants"
	tok, err := tokens.Issue(forGrants, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := tokens.VerifyFor(tok, "grants"); err != nil || id.Audience != "grants" || id.UserID != officer.UserID {
		t.Fatalf("VerifyFor(grants) = %+v, %v", id, err)
	}
	if _, err := tokens.VerifyFor(tok, "leave"); !errors.Is(err, auth.ErrWrongAudience) || !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("VerifyFor(leave) = %v, want ErrWrongAudience", err)
	}
	none, _ := tokens.Issue(officer, time.Minute)
	if _, err := tokens.VerifyFor(none, "leave"); !errors.Is(err, auth.ErrWrongAudience) {
		t.Fatalf("a token for no service = %v, want ErrWrongAudience", err)
	}
	e := httpx.New(httpx.Options{Logger: slog.New(slog.DiscardHandler)})
	e.GET("/api/v1/leave/me", auth.MiddlewareFor(tokens, "leave"), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	for _, tc := range []struct {
		tok  string
		want int
	}{{tok, http.StatusUnauthorized}, {none, http.StatusUnauthorized}} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/leave/me", nil)
		req.Header.Set("Authorization", "Bearer "+tc.tok)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code != tc.want {
			t.Errorf("MiddlewareFor(leave) = %d, want %d", w.Code, tc.want)
		}
	}
	forLeave := officer
	forLeave.Audience = "leave"
	ok, _ := tokens.Issue(forLeave, time.Minute)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/leave/me", nil)
	req.Header.Set("Authorization", "Bearer "+ok)
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	if w.Code != http.StatusNoContent {
		t.Errorf("a token for leave = %d", w.Code)
	}
}
