package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestCatalogue checks that both languages are present with matching verbs
// and that every catalogue key the domain and the importer can return is
// registered, by reading their string literals: a new code cannot ship
// without its texts.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
	// The store's other "enrollment.*" strings are audit action codes.
	prefixes := map[string][]string{"../domain": {"enrollment.", "idcard."}, "../roster": {"enrollment.", "idcard."}, "../store": {"enrollment.roster."}}
	for dir, want := range prefixes {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
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
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !slices.ContainsFunc(want, func(p string) bool { return strings.HasPrefix(s, p) }) || strings.Contains(s, " ") {
					return true
				}
				if !i18n.Has(s) && !i18n.Has("problem."+s) {
					t.Errorf("%s: %q has no message", f, s)
				}
				return true
			})
		}
	}
}
