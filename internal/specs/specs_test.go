package specs

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryDocumentValidates: zero validator errors on every document
// under api/openapi (issue 15).
func TestEveryDocumentValidates(t *testing.T) {
	t.Parallel()
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"enrollment", "gateway", "grants", "injury", "leave", "notify"} {
		if !slices.Contains(names, want) {
			t.Errorf("api/openapi/%s.yaml is missing", want)
		}
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			if _, err := Load(n); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestNoOpenAPI30KeywordsIn31Documents: the documents are OpenAPI 3.1,
// whose schemas are JSON Schema: `nullable: true` (3.0) is ignored there,
// so a field it marks rejects the null the service sends. A null is
// spelled type: [string, "null"].
func TestNoOpenAPI30KeywordsIn31Documents(t *testing.T) {
	t.Parallel()
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(Dir(), n+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, "nullable:") {
				t.Errorf("%s.yaml:%d: nullable is OpenAPI 3.0; write type: [T, \"null\"]: %s", n, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestEveryServiceDocumentHasProblem: every document describes RFC 9457
// problem bodies with one shared schema, so the problem responses of each
// service can be validated.
func TestEveryServiceDocumentHasProblem(t *testing.T) {
	t.Parallel()
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		s, err := Load(n)
		if err != nil {
			continue // reported by TestEveryDocumentValidates
		}
		p := s.Doc.Components.Schemas["Problem"]
		if p == nil || p.Value == nil {
			t.Errorf("%s.yaml: no components.schemas.Problem", n)
			continue
		}
		for _, f := range []string{"type", "title", "status"} {
			if p.Value.Properties[f] == nil {
				t.Errorf("%s.yaml: Problem has no %q", n, f)
			}
		}
	}
}

// TestValidateResponseCatchesDrift: the checker rejects an undeclared
// status and a body of the wrong shape, so the service tests that use it
// can fail.
func TestValidateResponseCatchesDrift(t *testing.T) {
	t.Parallel()
	s, err := Load("leave")
	if err != nil {
		t.Fatal(err)
	}
	var path string
	for p, item := range s.Doc.Paths.Map() {
		if item.Get != nil && !strings.Contains(p, "{") {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("leave.yaml has no GET without parameters")
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	h := http.Header{"Content-Type": {"application/problem+json"}}
	if err := s.ValidateResponse(req, 418, h, []byte(`{}`)); err == nil {
		t.Errorf("418 on GET %s accepted", path)
	}
	if err := s.ValidateResponse(req, 400, h, []byte(`{"type": 7}`)); err == nil {
		t.Errorf("a problem with a numeric type accepted on GET %s", path)
	}
	bad := httptest.NewRequest(http.MethodGet, "/no/such/route", nil)
	if err := s.ValidateResponse(bad, 200, http.Header{}, nil); err == nil {
		t.Error("an undocumented route accepted")
	}
}

// TestPlatformOperationsAreTheSameInEveryDocument: pkg/app serves the audit
// trail and the dead letters alike in every service, so every document
// describes them alike (the parameters, the rows, the cursor); one that
// drifts fails here rather than in a client generated from it.
func TestPlatformOperationsAreTheSameInEveryDocument(t *testing.T) {
	t.Parallel()
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]*Spec{}
	for _, n := range names {
		if n == "gateway" {
			continue
		}
		if docs[n], err = Load(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, op := range []string{"/admin/audit", "/admin/dead-letters", "/admin/audit/verify"} {
		var first, firstName string
		for _, n := range names {
			s, ok := docs[n]
			if !ok {
				continue
			}
			var get *openapi3.Operation
			for p, item := range s.Doc.Paths.Map() {
				if strings.HasSuffix(p, op) && strings.Count(p, "/") == strings.Count(op, "/")+3 {
					get = item.Get
				}
			}
			if get == nil {
				t.Errorf("%s.yaml has no GET %s", n, op)
				continue
			}
			c := *get
			c.Tags, c.Summary, c.Description = nil, "", ""
			raw, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if first == "" {
				first, firstName = string(raw), n
			} else if string(raw) != first {
				t.Errorf("GET %s differs between %s.yaml and %s.yaml:\n%s\n%s", op, firstName, n, first, raw)
			}
		}
	}
}
