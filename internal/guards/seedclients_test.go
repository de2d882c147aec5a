package guards_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// handBuilt are the marks of a service call made by hand instead of through
// the generated client of the service's OpenAPI document (api/client/<svc>):
// a request built with net/http, a path spelled out, a mirror struct of a
// service's JSON, a body put together as a map. Each keeps its reason for
// the message.
var handBuilt = []struct {
	re     *regexp.Regexp
	reason string
	// seedOnly limits the mark to internal/seed, whose code is nothing
	// but service calls; the CLI's composition file holds config maps.
	seedOnly bool
}{
	{re: regexp.MustCompile(`\bhttp\.NewRequest(WithContext)?\(`), reason: "a request built by hand"},
	{re: regexp.MustCompile(`"/api/v\d`), reason: "an API path spelled out (client.Server and the generated methods know them)"},
	{re: regexp.MustCompile("`json:\""), reason: "a struct with JSON tags: a mirror of a service's types"},
	{re: regexp.MustCompile(`"encoding/json"`), reason: "JSON coded by hand"},
	{re: regexp.MustCompile(`map\[string\](any|interface\{\})`), reason: "a request body built as a map", seedOnly: true},
}

// TestSeedUsesGeneratedClients keeps the demo seed (internal/seed and the
// CLI's seed*.go) on the generated clients: issue 15 removed its hand-built
// calls and mirror structs, and this stops them coming back.
func TestSeedUsesGeneratedClients(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "internal", "seed"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cli, err := filepath.Glob(filepath.Join(root, "internal", "cli", "seed*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, cli...)
	if len(files) < 8 {
		t.Fatalf("found only %d seed files under %s: has the seed moved?", len(files), root)
	}
	var hits []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue // tests may talk HTTP to check the seed from outside
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		hits = append(hits, handBuiltCalls(rel, string(src), strings.HasPrefix(rel, "internal/seed/"))...)
	}
	if len(hits) > 0 {
		t.Errorf("the demo seed calls a service by hand; use the generated client (api/client/<service>):\n%s", strings.Join(hits, "\n"))
	}
}

// handBuiltCalls lists the lines of src (the file rel) that bear a mark of
// a hand-built call; comment lines are skipped.
func handBuiltCalls(rel, src string, inSeed bool) []string {
	var hits []string
	for i, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		for _, m := range handBuilt {
			if (!m.seedOnly || inSeed) && m.re.MatchString(line) {
				hits = append(hits, rel+":"+itoa(i+1)+": "+m.reason+": "+strings.TrimSpace(line))
			}
		}
	}
	return hits
}

// The guard itself: each mark is found where it should be and nowhere
// else, so the test above cannot pass by matching nothing.
func TestHandBuiltCallMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		line   string
		inSeed bool
		want   bool
	}{
		{"new request", `req, err := http.NewRequestWithContext(ctx, method, url, body)`, true, true},
		{"spelled path", `full := "/api/v1/" + svc + path`, false, true},
		{"mirror struct", "\tID string `json:\"id\"`", true, true},
		{"json import", `	"encoding/json"`, false, true},
		{"map body in a seed step", `body := map[string]any{"code": u.Code}`, true, true},
		{"config map in the CLI", `cfgs := map[string]any{}`, false, false},
		{"generated call", `r, err := c.CreateUnitWithResponse(ctx, body, admin)`, true, false},
		{"comment", `// no http.NewRequest here`, true, false},
	} {
		got := len(handBuiltCalls("x.go", tc.line, tc.inSeed)) > 0
		if got != tc.want {
			t.Errorf("%s: %q flagged %v, want %v", tc.name, tc.line, got, tc.want)
		}
	}
}
