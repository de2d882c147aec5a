package enrollment_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/services/enrollment"
)

// TestRoutesMatchOpenAPI checks that every route the service serves under
// /api/v1/enrollment (its own and the platform's admin routes) is in
// api/openapi/enrollment.yaml, and every operation there is served.
func TestRoutesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi", "enrollment.yaml"))
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
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api {
		t.Fatalf("servers = %+v, want %s", doc.Servers, api)
	}
	var spec []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			spec = append(spec, strings.ToUpper(method)+" "+path)
		}
	}
	env := apptest.New(t)
	svc, err := enrollment.New(context.Background(), env.Deps, enrollment.Config{Schema: "enrollment", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	engine, ok := svc.Handler().(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T", svc.Handler())
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	var routes []string
	for _, rt := range engine.Routes() {
		if !strings.HasPrefix(rt.Path, api+"/") {
			continue // /healthz, /readyz, /metrics: the platform's probes
		}
		routes = append(routes, rt.Method+" "+param.ReplaceAllString(strings.TrimPrefix(rt.Path, api), "{$1}"))
	}
	slices.Sort(spec)
	slices.Sort(routes)
	if !slices.Equal(spec, routes) {
		t.Errorf("routes and OpenAPI differ:\nroutes %v\nspec   %v", routes, spec)
	}
}
