package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFavicon: /favicon.ico answers a real icon to anyone, and every page
// points to the versioned copy.
func TestFavicon(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.browser()
	r := v.get("/favicon.ico")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(r.body, "\x00\x00\x01\x00") {
		t.Fatalf("favicon = %d %s, %d bytes", r.status, r.header.Get("Content-Type"), len(r.body))
	}
	page := v.get("/signin")
	if !strings.Contains(page.body, `<link rel="icon" href="/static/favicon.ico?v=`) {
		t.Error("the page does not link its icon")
	}
}
