package httpapi_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/httpapi"
)

// TestRoutesMatchOpenAPI checks that every route of the router is in
// api/openapi/injury.yaml and every operation there is a route.
func TestRoutesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "api", "openapi", "injury.yaml"))
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
	if len(doc.Servers) != 1 || doc.Servers[0].URL != httpapi.Prefix {
		t.Fatalf("servers = %+v, want %s", doc.Servers, httpapi.Prefix)
	}
	var spec []string
	for path, ops := range doc.Paths {
		if strings.HasPrefix(path, "/admin/") {
			continue // the platform's routes, checked by the service's own test
		}
		for method := range ops {
			spec = append(spec, strings.ToUpper(method)+" "+path)
		}
	}
	r := httpx.New(httpx.Options{Service: "injury", Logger: slog.New(slog.DiscardHandler)})
	(&httpapi.Handler{}).Register(r.Group(httpapi.Prefix))
	param := regexp.MustCompile(`:([a-z_]+)`)
	var routes []string
	for _, rt := range r.Routes() {
		if !strings.HasPrefix(rt.Path, httpapi.Prefix+"/") {
			continue
		}
		p := param.ReplaceAllString(strings.TrimPrefix(rt.Path, httpapi.Prefix), "{$1}")
		routes = append(routes, rt.Method+" "+p)
	}
	slices.Sort(spec)
	slices.Sort(routes)
	if !slices.Equal(spec, routes) {
		t.Errorf("routes and OpenAPI differ:\nroutes %v\nspec   %v", routes, spec)
	}
	// The action enum lists exactly the domain's actions.
	var full struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `yaml:"enum"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &full); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range domain.Actions() {
		actions = append(actions, string(a))
	}
	if got := full.Components.Schemas["Action"].Enum; !slices.Equal(got, actions) {
		t.Errorf("Action enum = %v, want %v", got, actions)
	}
}
