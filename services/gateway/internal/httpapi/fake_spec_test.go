package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	openapi "github.com/anxin-welfare/anxin/internal/specs"
)

// echoHeader marks the answers of env.fakeService, the echo that stands
// for any path the proxy tests send: they are no operation of a document.
const echoHeader = "X-Test-Echo"

var (
	specsOnce   sync.Once
	specsByName map[string]*openapi.Spec
	specsErr    error
)

// reporter is the part of testing.TB specChecked reports on.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatal(args ...any)
}

// serviceSpec is api/openapi/<name>.yaml, loaded once for the package.
func serviceSpec(t reporter, name string) *openapi.Spec {
	t.Helper()
	specsOnce.Do(func() {
		specsByName = map[string]*openapi.Spec{}
		for _, n := range []string{"enrollment", "injury", "grants", "leave"} {
			s, err := openapi.Load(n)
			if err != nil {
				specsErr = err
				return
			}
			specsByName[n] = s
		}
	})
	if specsErr != nil {
		t.Fatal(specsErr)
	}
	return specsByName[name]
}

// specChecked holds a fake service to the service's document: every answer
// it gives the gateway must be an operation of api/openapi/<name>.yaml,
// with a status, headers and a body the operation declares. A fake that
// drifts from the real service's contract fails the test that used it, so
// the pages are never tested against answers the service cannot give.
func specChecked(t reporter, name string, fake http.Handler) http.Handler {
	spec := serviceSpec(t, name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" || r.URL.Path == "/healthz" {
			fake.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		res := rec.Result()
		if res.Header.Get(echoHeader) == "" {
			if err := spec.ValidateResponse(r, rec.Code, res.Header, rec.Body.Bytes()); err != nil {
				t.Errorf("the fake %s service answered outside its document: %v\nbody: %.400s", name, err, rec.Body.String())
			}
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// driftRecorder keeps what specChecked reports.
type driftRecorder struct {
	*testing.T
	mu     sync.Mutex
	errors []string
}

func (d *driftRecorder) Errorf(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.errors = append(d.errors, fmt.Sprintf(format, args...))
}

// A fake that answers outside its document (a case without the fields
// injury.yaml requires, a status the operation does not declare) is
// reported; one that answers as the document says, and the echo, are not.
func TestSpecCheckedCatchesAFakeThatDrifts(t *testing.T) {
	cases := []struct {
		name, method, path string
		status             int
		body               string
		echo, drift        bool
	}{
		{"a case missing required fields", http.MethodGet, "/api/v1/injury/cases/00000000-0000-7000-8000-000000000001", 200,
			`{"id": "00000000-0000-7000-8000-000000000001"}`, false, true},
		{"an undeclared status", http.MethodGet, "/api/v1/injury/cases/00000000-0000-7000-8000-000000000001", 418,
			`{"type": "about:blank", "title": "x", "status": 418}`, false, true},
		{"a path not in the document", http.MethodGet, "/api/v1/injury/nowhere", 200, `{}`, false, true},
		{"a documented problem", http.MethodGet, "/api/v1/injury/cases/00000000-0000-7000-8000-000000000001", 404,
			`{"type": "urn:anxin:problem:not_found", "title": "未找到", "status": 404, "code": "not_found"}`, false, false},
		{"the echo", http.MethodGet, "/api/v1/injury/nowhere", 200, `{"path": "/api/v1/injury/nowhere"}`, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &driftRecorder{T: t}
			h := specChecked(rec, "injury", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.echo {
					w.Header().Set(echoHeader, "1")
				}
				if c.status >= 400 {
					w.Header().Set("Content-Type", "application/problem+json")
				} else {
					w.Header().Set("Content-Type", "application/json")
				}
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(c.method, c.path, nil))
			if w.Code != c.status || w.Body.String() != c.body {
				t.Errorf("the gateway got %d %s, the fake sent %d %s", w.Code, w.Body.String(), c.status, c.body)
			}
			if got := len(rec.errors) > 0; got != c.drift {
				t.Errorf("drift reported %v, want %v: %v", got, c.drift, rec.errors)
			}
		})
	}
}
