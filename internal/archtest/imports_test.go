// Package archtest checks the architecture's import rules on every build,
// so they hold even where golangci-lint is not run: the domain of every
// service is plain Go, pkg/ never imports a service, no service's code
// imports another service (their contracts are api/openapi and api/events,
// never shared Go types), and the generated clients under api/ import no
// service and nothing internal.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var adapters = []string{"github.com/gin-gonic/gin", "github.com/jmoiron/sqlx", "github.com/lib/pq", "github.com/nats-io/",
	// pkg/auth and pkg/httpx bring gin with them: a domain names roles with
	// pkg/roles and field problems with pkg/fielderr instead.
	"github.com/anxin-welfare/anxin/pkg/auth", "github.com/anxin-welfare/anxin/pkg/httpx"}

func TestImportRules(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".data" || d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		inDomain := strings.Contains(rel, "/internal/domain/")
		inPkg := strings.HasPrefix(rel, "pkg/")
		inService := strings.HasPrefix(rel, "services/") && !strings.HasSuffix(rel, "_test.go")
		// The generated clients under api/client are for any caller (the
		// gateway, the seed, other systems): they stand on the documents
		// and pkg/, never on a service's or the CLI's code.
		inAPI := strings.HasPrefix(rel, "api/") && !strings.HasSuffix(rel, "_test.go")
		if !inDomain && !inPkg && !inService && !inAPI {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if inDomain {
				for _, a := range adapters {
					if strings.HasPrefix(p, a) {
						t.Errorf("%s imports %s: a domain package must be plain Go", rel, p)
					}
				}
			}
			if inPkg && strings.HasPrefix(p, "github.com/anxin-welfare/anxin/services") {
				t.Errorf("%s imports %s: pkg/ must not import services/", rel, p)
			}
			if inAPI && (strings.HasPrefix(p, "github.com/anxin-welfare/anxin/services") || strings.HasPrefix(p, "github.com/anxin-welfare/anxin/internal")) {
				t.Errorf("%s imports %s: api/ must not import services/ or internal/", rel, p)
			}
			if inService {
				if other := otherService(rel, p); other != "" {
					t.Errorf("%s imports %s: a service must not import another service (%s); use its API or its events", rel, p, other)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no files checked: the walk is broken")
	}
}

const servicesPrefix = "github.com/anxin-welfare/anxin/services/"

// otherService is the service that imp belongs to when it is not the one
// the file rel (a path from the repository root) belongs to, else "".
// Test files are exempt: a service's end-to-end tests may start the
// other services' composition roots to talk to them over HTTP and NATS.
func otherService(rel, imp string) string {
	own, _, _ := strings.Cut(strings.TrimPrefix(rel, "services/"), "/")
	rest, ok := strings.CutPrefix(imp, servicesPrefix)
	if !ok {
		return ""
	}
	svc, _, _ := strings.Cut(rest, "/")
	if svc == own {
		return ""
	}
	return svc
}

func TestOtherServiceRule(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ rel, imp, want string }{
		{"services/gateway/internal/httpapi/router.go", servicesPrefix + "grants", "grants"},
		{"services/gateway/gateway.go", servicesPrefix + "leave/internal/domain", "leave"},
		{"services/grants/internal/store/store.go", servicesPrefix + "grants/internal/domain", ""},
		{"services/grants/grants.go", "github.com/anxin-welfare/anxin/pkg/bus", ""},
		{"services/leave/leave.go", servicesPrefix + "leavex", "leavex"},
	} {
		if got := otherService(c.rel, c.imp); got != c.want {
			t.Errorf("otherService(%q, %q) = %q, want %q", c.rel, c.imp, got, c.want)
		}
	}
}
