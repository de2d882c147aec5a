// Package specs loads the OpenAPI documents under api/openapi with a real
// validator (kin-openapi) and checks recorded HTTP responses against them,
// so the documents are contracts the tests enforce rather than prose: a
// document that does not validate, or a handler that answers with a status
// or a body its document does not describe, fails the build.
package specs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Dir is api/openapi in this repository, found from this file's location so
// that tests in any package can load the documents.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "api", "openapi")
}

// Names lists the documents in Dir by their base name without ".yaml"
// (enrollment, gateway, …).
func Names() ([]string, error) {
	entries, err := os.ReadDir(Dir())
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	return names, nil
}

// Spec is one validated OpenAPI document with a router over its paths.
type Spec struct {
	Name   string
	Doc    *openapi3.T
	router routers.Router
}

// Load reads api/openapi/<name>.yaml and validates it as OpenAPI 3. It
// returns the loader's or the validator's error unchanged, so a broken
// document names its own fault.
func Load(name string) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(Dir(), name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("%s.yaml: %w", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%s.yaml: %w", name, err)
	}
	// Route on paths alone: the servers' hosts are examples, the tests
	// talk to httptest servers on any port.
	servers := doc.Servers
	doc.Servers = nil
	var prefix string
	if len(servers) > 0 {
		if u, err := url.Parse(servers[0].URL); err == nil {
			prefix = strings.TrimSuffix(u.Path, "/")
		}
	}
	if prefix != "" {
		paths := openapi3.NewPaths()
		for p, item := range doc.Paths.Map() {
			paths.Set(prefix+p, item)
		}
		doc.Paths = paths
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("%s.yaml: router: %w", name, err)
	}
	doc.Servers = servers
	return &Spec{Name: name, Doc: doc, router: router}, nil
}

// TB is the part of testing.TB that Check uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// MustLoad is Load for tests: a document that does not validate fails t.
func MustLoad(t TB, name string) *Spec {
	t.Helper()
	s, err := Load(name)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return s
}

// ValidateResponse checks one exchange against the document: the
// operation must exist for req's method and path, and the response's
// status, content type and body must be among those the operation
// declares. Only the response is judged; the request is whatever the test
// sent (tests send bad requests on purpose).
func (s *Spec) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s.yaml: %s %s: %w", s.Name, req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s.yaml: %s %s → %d: %w", s.Name, req.Method, req.URL.Path, status, err)
	}
	return nil
}

// Check validates a recorded response (httptest.ResponseRecorder) to req
// and reports a mismatch on t. It returns the recorder for chaining.
func (s *Spec) Check(t TB, req *http.Request, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	t.Helper()
	if err := s.ValidateResponse(req, rec.Code, rec.Result().Header, rec.Body.Bytes()); err != nil {
		t.Errorf("response does not match the spec: %v\nbody: %s", err, truncate(rec.Body.String()))
	}
	return rec
}

// CheckResponse validates a live *http.Response (from an httptest.Server)
// whose body has already been read into body.
func (s *Spec) CheckResponse(t TB, resp *http.Response, body []byte) {
	t.Helper()
	if err := s.ValidateResponse(resp.Request, resp.StatusCode, resp.Header, body); err != nil {
		t.Errorf("response does not match the spec: %v\nbody: %s", err, truncate(string(body)))
	}
}

func truncate(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
