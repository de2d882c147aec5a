package leave_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// TestRoutesMatchOpenAPI keeps the router and api/openapi/leave.yaml in
// step: every route is documented and every documented operation is served.
func TestRoutesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../api/openapi/leave.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Servers []struct{ URL string }    `yaml:"servers"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	prefix := doc.Servers[0].URL
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "patch", "delete":
				documented = append(documented, strings.ToUpper(method)+" "+prefix+path)
			}
		}
	}
	h := newHarness(t)
	param := regexp.MustCompile(`:([a-z_]+)`)
	var served []string
	for _, r := range h.svc.Handler().(*gin.Engine).Routes() {
		if !strings.HasPrefix(r.Path, prefix) {
			continue // /healthz, /readyz, /metrics belong to the platform
		}
		served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
	}
	slices.Sort(documented)
	slices.Sort(served)
	for _, s := range served {
		if !slices.Contains(documented, s) {
			t.Errorf("served but not documented: %s", s)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("documented but not served: %s", d)
		}
	}
}
