package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// FuzzSafeNext: whatever a link carries in ?next=, the redirect stays on
// this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/my", "//evil.example", "/\\evil", "https://evil.example", "/a\r\nb", "", "/%2F%2Fevil", "\\\\evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := web.SafeNext(next)
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\r\n\\") {
			t.Errorf("SafeNext(%q) = %q leaves the site", next, got)
		}
	})
}
