package injury

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/nats-io/nats.go"
	"go.yaml.in/yaml/v3"

	"os"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

func testConfig(t *testing.T) Config {
	t.Helper()
	var cfg Config
	if err := config.LoadFrom(&cfg, func(string) (string, bool) { return "", false }); err != nil {
		t.Fatal(err)
	}
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.SweepInterval = 20 * time.Millisecond
	cfg.CoverageInterval = 20 * time.Millisecond
	cfg.CoverageTimeout = 200 * time.Millisecond
	return cfg
}

func TestConfigDefaultsValidate(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.AckCritical, cfg.Schema = 0, "bad-schema"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "schema") || !strings.Contains(err.Error(), "critical") {
		t.Errorf("Validate = %v, want every problem", err)
	}
}

// TestService runs the whole service: a case opened through the real router
// with a real token is published as case.opened, its breached clock is
// escalated by the sweeper and published as case.escalated, and its coverage
// stays pending while enrollment is down and is filled in once it answers.
func TestService(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	env.Contract = specs.MustLoad(t, "injury")
	svc, err := New(context.Background(), env.Deps, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *nats.Msg, 16)
	sub, err := env.Deps.Bus.NC.ChanSubscribe("welfare.injury.>", got)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	apptest.Run(t, svc.Run)

	officer := auth.Identity{UserID: "u-1", MemberID: "m-1", Name: "李强", Roles: []auth.Role{auth.RoleOfficer}}
	cw := auth.Identity{UserID: "u-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"unit-1"}}
	w := env.Do(t, svc.Handler(), &officer, "POST", "/api/v1/injury/cases", map[string]any{
		"member_id": "m-1", "unit_id": "unit-1", "injured_at": "2026-11-27T09:00", "place": "城关派出所门前",
		"description": "处置纠纷时被刺伤手臂", "severity": "critical",
	})
	if w.Code != http.StatusCreated {
		t.Fatalf("open = %d %s", w.Code, w.Body)
	}
	var opened struct {
		ID     string `json:"id"`
		Number string `json:"number"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &opened)
	if opened.Number != "GC-2026-000001" {
		t.Errorf("number = %s", opened.Number)
	}
	if w := env.Do(t, svc.Handler(), nil, "GET", "/api/v1/injury/cases/"+opened.ID, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("no token = %d", w.Code)
	}
	wait := func(typ string) bus.Event {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case m := <-got:
				ev, err := bus.ParseEnvelope(m.Data)
				if err != nil {
					t.Fatal(err)
				}
				if ev.Type == typ {
					return ev
				}
			case <-deadline:
				t.Fatalf("no %s published", typ)
			}
		}
	}
	if ev := wait("case.opened"); ev.SubjectID != opened.ID || ev.Source != "injury" {
		t.Errorf("case.opened = %+v", ev)
	}
	// Enrollment is down: coverage stays pending and is retried.
	apptest.Eventually(t, 10*time.Second, "a failed coverage attempt", func() bool {
		c, err := svc.store.Get(context.Background(), opened.ID)
		return err == nil && c.Coverage.Attempts >= 1
	})
	coverageGauge := func() string {
		svc.base.ReadGauges(context.Background())
		w := env.Do(t, httpx.MetricsHandler(svc.base.Registry), nil, "GET", "/metrics", nil)
		for _, line := range strings.Split(w.Body.String(), "\n") {
			if v, ok := strings.CutPrefix(line, `anxin_injury_coverage_checks_pending{service="injury"} `); ok {
				return v
			}
		}
		return "absent"
	}
	if got := coverageGauge(); got != "1" {
		t.Errorf("coverage checks pending = %s, want 1", got)
	}
	// Enrollment comes up.
	micro, err := bus.Serve(env.Deps.Bus.NC, "enrollment_fake", "0.0.1", "fake", nil, bus.Endpoint{Name: "coverage", Subject: testConfig(t).CoverageSubject,
		Handle: func(context.Context, []byte) (any, error) {
			return map[string]any{"member_id": "m-1", "date": "2026-11-27", "schemes": []map[string]any{
				{"scheme": "work_injury", "covered": true, "plan_name": "2026 工伤保险", "period_from": "2026-01-01", "period_to": "2026-12-31"}}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = micro.Stop() })
	env.Clock.Advance(16 * time.Minute) // past the back-off and the 15-minute acknowledgement deadline
	apptest.Eventually(t, 10*time.Second, "coverage answered", func() bool {
		w := env.Do(t, svc.Handler(), &cw, "GET", "/api/v1/injury/cases/"+opened.ID, nil)
		return strings.Contains(w.Body.String(), `"status":"checked"`) && strings.Contains(w.Body.String(), "2026 工伤保险")
	})
	ev := wait("case.escalated")
	var esc struct {
		Clock string `json:"clock"`
		Level string `json:"level"`
	}
	if err := ev.Decode(&esc); err != nil || esc.Clock != "acknowledgement" || esc.Level != "unit_head" {
		t.Errorf("case.escalated = %s", ev.Data)
	}
	apptest.Eventually(t, 5*time.Second, "escalation metric", func() bool {
		w := env.Do(t, httpx.MetricsHandler(svc.base.Registry), nil, "GET", "/metrics", nil)
		return strings.Contains(w.Body.String(), `anxin_injury_escalations_total{clock="acknowledgement",level="unit_head"} 1`)
	})
	if got := coverageGauge(); got != "0" {
		t.Errorf("coverage checks pending once answered = %s, want 0", got)
	}
	w = env.Do(t, svc.Handler(), &cw, "GET", "/api/v1/injury/cases", nil)
	if !strings.Contains(w.Body.String(), `"status":"red"`) || !strings.Contains(w.Body.String(), `"escalation":"unit_head"`) {
		t.Errorf("queue = %s", w.Body)
	}
}

// TestRoutesInOpenAPI checks every route of the real service router (the
// platform's admin routes included) against api/openapi/injury.yaml, both ways.
func TestRoutesInOpenAPI(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	svc, err := New(context.Background(), env.Deps, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../api/openapi/injury.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Servers []struct {
			URL string `yaml:"url"`
		} `yaml:"servers"`
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	base := doc.Servers[0].URL
	var spec, routes []string
	for path, ops := range doc.Paths {
		for method := range ops {
			spec = append(spec, strings.ToUpper(method)+" "+base+path)
		}
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	for _, r := range svc.Handler().(*gin.Engine).Routes() {
		if strings.HasPrefix(r.Path, base+"/") {
			routes = append(routes, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
		}
	}
	slices.Sort(spec)
	slices.Sort(routes)
	if !slices.Equal(spec, routes) {
		t.Errorf("routes and OpenAPI differ:\nroutes %v\nspec   %v", routes, spec)
	}
}
