package guards_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// areaHandBuilt are the marks of a service call made by hand in a page
// area of the gateway (services/gateway/internal/pages/<area>), which calls
// the services only through the generated clients the web kit makes
// (webkit.Kit.Leave, …): the seed's marks (handBuilt), and the gateway's
// own hand-built call path, which httpapi keeps while the areas move out.
var areaHandBuilt = append([]struct {
	re       *regexp.Regexp
	reason   string
	seedOnly bool
}{
	{re: regexp.MustCompile(`\.call\(|\.Call\(|\.Stream\(`), reason: "httpapi's hand-built call path (h.call, Upstreams.Call or Stream)"},
	{re: regexp.MustCompile(`\bUpstreams\b`), reason: "the Upstreams used directly (the kit signs and routes the generated clients)"},
	{re: regexp.MustCompile(`gateway/internal/httpapi"`), reason: "httpapi imported (an area stands on the web kit)"},
	{re: regexp.MustCompile(`http\.Client\{|http\.DefaultClient|http\.Get\(|http\.Post\(`), reason: "an HTTP client of its own"},
	{re: regexp.MustCompile(`map\[string\](any|interface\{\})\{`), reason: "a request body built as a map"},
}, handBuilt...)

// areaCalls lists the lines of src (the file rel) that bear a mark of a
// hand-built call; comment lines are skipped.
func areaCalls(rel, src string) []string {
	var hits []string
	for i, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		for _, m := range areaHandBuilt {
			if m.re.MatchString(line) {
				hits = append(hits, rel+":"+itoa(i+1)+": "+m.reason+": "+strings.TrimSpace(line))
			}
		}
	}
	return hits
}

// TestGatewayAreasUseGeneratedClients keeps the gateway's page areas on the
// generated clients: issue 15 moves the pages out of httpapi, area by area,
// leaving its hand-built calls and mirror structs behind.
func TestGatewayAreasUseGeneratedClients(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	areas := filepath.Join(root, "services", "gateway", "internal", "pages")
	var files []string
	err := filepath.WalkDir(areas, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path) // tests may talk HTTP to check a page from outside
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found only %d files under %s: have the areas moved?", len(files), areas)
	}
	var hits []string
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		hits = append(hits, areaCalls(filepath.ToSlash(rel), string(src))...)
	}
	if len(hits) > 0 {
		t.Errorf("a gateway area calls a service by hand; use the kit's generated client (webkit.Kit.Leave, …):\n%s", strings.Join(hits, "\n"))
	}
}

// The guard itself: each mark is found where it should be and nowhere else,
// so the test above cannot pass by matching nothing.
func TestAreaHandBuiltCallMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		line string
		want bool
	}{
		{"httpapi's call", `_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests", 0, nil, &reqs)`, true},
		{"upstreams call", `u.Upstreams.Call(ctx, user, lang, "GET", "leave", path, 0, nil, &out)`, true},
		{"upstreams stream", `resp, err := a.Upstreams.Stream(ctx, u, l, "leave", p)`, true},
		{"httpapi import", `	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"`, true},
		{"new request", `req, _ := http.NewRequestWithContext(ctx, "GET", base+"/x", nil)`, true},
		{"own client", `cl := &http.Client{Timeout: time.Second}`, true},
		{"spelled path", `path := "/api/v1/leave/requests/" + id`, true},
		{"mirror struct", "\tDays int `json:\"days\"`", true},
		{"json import", `	"encoding/json"`, true},
		{"map body", `body := map[string]any{"places": places}`, true},
		{"generated call", `r, err := api.GetCalendarWithResponse(c.Request.Context(), year)`, false},
		{"kit client", `api, err := a.Leave(c)`, false},
		{"field aliases", `webkit.ProblemOnForm(err, form, map[string]string{"comment": field})`, false},
		{"page path", `c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+y)`, false},
		{"comment", `// not h.call(c, …) any more`, false},
	} {
		got := len(areaCalls("x.go", tc.line)) > 0
		if got != tc.want {
			t.Errorf("%s: %q flagged %v, want %v", tc.name, tc.line, got, tc.want)
		}
	}
}

// sessionLayerTransport are httpapi's files that are the transport the
// generated clients and the API proxy ride on (the replica sets, their
// readiness probes, the routes the kit asks for): the only files of the
// gateway that make HTTP requests of their own.
var sessionLayerTransport = map[string]bool{
	"upstreams.go": true, "upstream_replicas.go": true, "upstream_routes.go": true, "proxy.go": true,
}

// sessionLayerHandBuilt are the marks of a request built by hand.
var sessionLayerHandBuilt = regexp.MustCompile(`http\.NewRequest|http\.Client\{|http\.DefaultClient|http\.Get\(|http\.Post\(|\.Do\(req|\bUpstreams\.(Call|Stream)\(`)

// TestGatewaySessionLayerMakesNoServiceCallByHand: what stays in httpapi
// (sign-in, sessions, the page frame, the account and the gateway's own
// API) calls the services through the web kit's generated clients too
// (the header's unread count, the unit names of every page); only the
// transport files build requests.
func TestGatewaySessionLayerMakesNoServiceCallByHand(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs("../../services/gateway/internal/httpapi")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d files in %s: %v", len(files), dir, err)
	}
	var hits []string
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, "_test.go") || sessionLayerTransport[name] {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") && sessionLayerHandBuilt.MatchString(line) {
				hits = append(hits, name+":"+itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
	}
	if len(hits) > 0 {
		t.Errorf("httpapi builds a service call by hand outside its transport; use the kit's generated clients:\n%s", strings.Join(hits, "\n"))
	}
	for _, line := range []string{`req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)`, `resp, err := h.client.Do(req)`, `h.Upstreams.Call(ctx, u, l, "GET", "notify", p, 0, nil, &out)`} {
		if !sessionLayerHandBuilt.MatchString(line) {
			t.Errorf("the guard misses %q", line)
		}
	}
}
