// Package archtest checks the architecture's import rules on every build,
// so they hold even where golangci-lint is not run: the domain of every
// service is plain Go, and pkg/ never imports a service.
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

var adapters = []string{"github.com/gin-gonic/gin", "github.com/jmoiron/sqlx", "github.com/lib/pq", "github.com/nats-io/"}

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
		if !inDomain && !inPkg {
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
