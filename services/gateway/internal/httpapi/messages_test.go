package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	_ "github.com/anxin-welfare/anxin/services/gateway/web" // page texts
)

// TestCatalogue checks every message in both languages with matching
// verbs, and that every problem code the domain and the accounts layer
// declare has a text: a missing one would reach a user as a bare key.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"../domain", "../accounts", "."} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(lit.Value)
				if strings.HasPrefix(s, "gateway.") && strings.Count(s, ".") >= 1 && !strings.Contains(s, " ") && !strings.HasSuffix(s, ".") {
					if !i18n.Has(s) && !i18n.Has("problem."+s) {
						t.Errorf("%s: code %q has no message", f, s)
					}
				}
				return true
			})
		}
	}
}
