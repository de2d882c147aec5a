package notify_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/internal/specs"
)

// TestRoutesMatchOpenAPI keeps the router and api/openapi/notify.yaml in
// step: every route is documented and every documented operation served.
func TestRoutesMatchOpenAPI(t *testing.T) {
	raw, err := os.ReadFile("../../api/openapi/notify.yaml")
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
		if strings.HasPrefix(r.Path, prefix) {
			served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("documented %v\nserved %v", documented, served)
	}
}

// TestResponsesFollowTheDocument runs the inbox and preferences through
// the document's response schemas.
func TestResponsesFollowTheDocument(t *testing.T) {
	h := newHarness(t)
	h.env.Contract = specs.MustLoad(t, "notify")
	h.prefs(&officer1, map[string]any{"email": "zhang@county.example", "channels": map[string]any{"grant_disbursed": []string{"wecom"}}})
	ev := h.event("grants", "grant.disbursed", "a1", map[string]any{"disbursement_id": "d1", "application_id": "a1", "number": "GA-2026-000001",
		"fund_id": "f1", "program_id": "p1", "member_id": "m1", "amount": 5000000, "period": "2026-11", "disbursed_at": "2026-11-27T02:00:00Z"})
	h.publish(ev)
	h.drained()
	for _, path := range []string{"/inbox", "/inbox?unread=true&limit=1", "/inbox/unread", "/preferences"} {
		if w := h.do(&family1, "GET", path, nil); w.Code != 200 {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	for _, path := range []string{"/inbox?limit=0", "/inbox?after=nonsense", "/inbox?unread=maybe"} {
		if w := h.do(&family1, "GET", path, nil); w.Code != 422 {
			t.Errorf("%s: %d, want 422", path, w.Code)
		}
	}
	if w := h.do(&family1, "POST", "/inbox/read-all", nil); w.Code != 200 || !strings.Contains(w.Body.String(), `"marked":1`) {
		t.Errorf("read-all: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "GET", "/admin/deliveries", nil); w.Code != 200 {
		t.Errorf("admin deliveries: %d %s", w.Code, w.Body)
	}
}
