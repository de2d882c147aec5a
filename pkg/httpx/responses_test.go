package httpx_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
)

func TestAttachmentNamesTheFileInUTF8WithAnASCIIFallback(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, fallback, want string }{
		{"chinese", "分类账_2026-01-01_2026-06-30.xlsx", "ledger_2026-01-01_2026-06-30.xlsx",
			`attachment; filename="ledger_2026-01-01_2026-06-30.xlsx"; filename*=UTF-8''%E5%88%86%E7%B1%BB%E8%B4%A6_2026-01-01_2026-06-30.xlsx`},
		{"header breakers", "a\"b;c\r\n/d (1).csv", "x\"y.csv", `attachment; filename="x_y.csv"; filename*=UTF-8''a_b_c___d%20%281%29.csv`},
		{"no fallback", "账.csv", "", `attachment; filename="download"; filename*=UTF-8''%E8%B4%A6.csv`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := httpx.Attachment(tt.in, tt.fallback); got != tt.want {
				t.Errorf("Attachment(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n    int64
		want string
	}{{1000, "1000 B"}, {1 << 20, "1 MiB"}, {20 << 20, "20 MiB"}, {512 << 10, "512 KiB"}, {5 << 19, "2.5 MiB"}, {3 << 30, "3 GiB"}} {
		if got := httpx.FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestTooLargeNamesTheLimitInEnglish(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{MaxBodyBytes: 1 << 10})
	r := do(t, e, http.MethodPost, "/members", strings.NewReader(`{"name":"`+strings.Repeat("x", 2<<10)+`"}`),
		map[string]string{"Content-Type": "application/json", "Accept-Language": "en"})
	if r.Code != 413 || r.Problem.Detail != "The request body must not exceed 1 KiB" || r.Problem.Extra["limit_bytes"] != float64(1024) {
		t.Fatalf("413 = %d %s", r.Code, r.Body)
	}
}

// TestResponsesAreNotStored: every answer of an engine says no-store (they
// carry personal data), problems included, unless a handler says otherwise.
func TestResponsesAreNotStored(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	e.GET("/cacheable", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=60")
		c.String(http.StatusOK, "static")
	})
	for path, want := range map[string]string{"/healthz": "no-store", "/nowhere": "no-store", "/cacheable": "public, max-age=60"} {
		r := do(t, e, http.MethodGet, path, nil, nil)
		if got := r.Header.Values("Cache-Control"); len(got) != 1 || got[0] != want {
			t.Errorf("GET %s: Cache-Control %q, want %q", path, got, want)
		}
	}
	r := do(t, e, http.MethodPost, "/members", strings.NewReader(`{"name":"张三"}`), jsonHeader)
	if r.Code != 201 || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("POST /members: %d Cache-Control %q", r.Code, r.Header.Get("Cache-Control"))
	}
}

// TestDatabaseOutageIs503: an error of the database connection, even
// wrapped in a service's Internal, is 503 with Retry-After; any other
// unknown error stays 500.
func TestDatabaseOutageIs503(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	e.GET("/refused", func(c *gin.Context) { httpx.Respond(c, httpx.Internal(fmt.Errorf("list cases: %w", refused))) })
	e.GET("/bug", func(c *gin.Context) { httpx.Respond(c, errors.New("nil map")) })
	r := do(t, e, http.MethodGet, "/refused", nil, nil)
	if r.Code != 503 || r.Problem.Code != "unavailable" || r.Header.Get("Retry-After") != "5" {
		t.Fatalf("refused connection = %d %q Retry-After %q", r.Code, r.Problem.Code, r.Header.Get("Retry-After"))
	}
	if r := do(t, e, http.MethodGet, "/bug", nil, nil); r.Code != 500 || r.Header.Get("Retry-After") != "" {
		t.Fatalf("a bug = %d", r.Code)
	}
}
