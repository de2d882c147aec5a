package guards_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Role names are pkg/roles's (issue 15). Before it, grants, injury, notify
// and the gateway each spelt "caseworker", "approver" … again in their
// domains, "because the domain may not import pkg/auth", and a test per
// service checked the copies still matched. This guard keeps the spelling
// in one place: a domain constant whose value is a role's name written as a
// string literal is a copy.

// roleLiterals lists the constants in src whose value is a role's name
// written out as a string.
func roleLiterals(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING || i >= len(vs.Names) {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					continue
				}
				if roles.Role(s).Valid() && strings.HasPrefix(vs.Names[i].Name, "Role") {
					out = append(out, vs.Names[i].Name+" = "+lit.Value)
				}
			}
		}
	}
	return out, nil
}

func TestNoRoleNamesSpeltInDomains(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	var hits []string
	checked := 0
	err := filepath.WalkDir(filepath.Join(root, "services"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "/internal/domain/") || !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		found, err := roleLiterals(src)
		for _, h := range found {
			hits = append(hits, rel+": "+h)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no domain files checked: the walk is broken")
	}
	if len(hits) > 0 {
		t.Errorf("%d role name(s) spelt again in a domain; use pkg/roles:\n%s", len(hits), strings.Join(hits, "\n"))
	}
}

func TestRoleLiteralPattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		src  string
		want string
	}{
		{name: "a typed copy", src: `type Role string; const RoleCaseworker Role = "caseworker"`, want: `RoleCaseworker = "caseworker"`},
		{name: "an untyped copy", src: `const ( RoleCommittee = "approver" )`, want: `RoleCommittee = "approver"`},
		{name: "from pkg/roles", src: `const RoleAdmin = Role(roles.Admin)`},
		{name: "not a role's constant", src: `const LiaisonLeader LiaisonRole = "leader"`},
		{name: "not a role name", src: `const RoleX = "chief"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := roleLiterals([]byte("package domain\n\n" + tc.src + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("flagged %v, want %q", got, tc.want)
			}
		})
	}
}
