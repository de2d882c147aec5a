package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/freeport"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// The compose file's healthchecks run `anxin healthcheck <url>`: 0 only for
// a 2xx answer, 1 for a 503 or no answer, 2 for a URL that is not one.
func TestHealthcheckExitCodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"failed":["nats"]}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	dead := "http://127.0.0.1:" + strconv.Itoa(freeport.Loopback(t)) + "/healthz"
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantText string
	}{
		{"alive", []string{"healthcheck", srv.URL + "/healthz"}, ExitOK, "200 OK"},
		{"not ready names why", []string{"healthcheck", srv.URL + "/readyz"}, ExitFailure, "nats"},
		{"nobody listening", []string{"healthcheck", dead}, ExitFailure, "connection refused"},
		{"not a URL", []string{"healthcheck", "readyz"}, ExitUsage, "not an http(s) URL"},
		{"no URL", []string{"healthcheck"}, ExitUsage, "name the URL to probe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(t, nil, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantText) {
				t.Fatalf("exit %d, want %d with %q; output:\n%s", code, tc.wantCode, tc.wantText, out)
			}
		})
	}
}

// `anxin keys new` writes a keys file production accepts, mode 0600, and
// never overwrites one.
func TestKeysNewWritesOnceAndLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	code, out := run(t, nil, "keys", "new", path)
	if code != ExitOK {
		t.Fatalf("keys new: exit %d\n%s", code, out)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("keys file mode %v, want 0600", st.Mode().Perm())
	}
	before, _ := os.ReadFile(path)
	if _, err := auth.LoadKeys(path); err != nil {
		t.Fatalf("the written file does not load as production loads it: %v", err)
	}
	code, out = run(t, nil, "keys", "new", path)
	if code != ExitUsage || !strings.Contains(out, "not overwritten") {
		t.Fatalf("second keys new: exit %d, want %d refusing to overwrite\n%s", code, ExitUsage, out)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the existing keys file changed")
	}
}
