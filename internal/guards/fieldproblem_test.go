package guards_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// A field problem ("this input field is wrong, and why") has one
// representation, pkg/fielderr (issue 15). Before it, five domains each
// declared their own FieldProblem or FieldError with a ValidationError
// around it, and every HTTP layer copied one into another. This guard keeps
// a new copy out of the domains: a struct with a string Field and a string
// Code, or a type named ValidationError, is the vocabulary declared again.

// fieldProblemTypes lists the field-problem-like types declared in src.
func fieldProblemTypes(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			if ts.Name.Name == "ValidationError" {
				out = append(out, ts.Name.Name)
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			if hasStringField(st, "Field") && hasStringField(st, "Code") {
				out = append(out, ts.Name.Name)
			}
		}
	}
	return out, nil
}

func hasStringField(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		id, ok := f.Type.(*ast.Ident)
		if !ok || id.Name != "string" {
			continue
		}
		for _, n := range f.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

func TestNoFieldProblemCopiesInDomains(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	var hits []string
	domains := 0
	err := filepath.WalkDir(filepath.Join(root, "services"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "domain" && filepath.Base(filepath.Dir(path)) == "internal" {
				domains++
			}
			return nil
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
		names, err := fieldProblemTypes(src)
		if err != nil {
			return err
		}
		for _, n := range names {
			hits = append(hits, rel+": type "+n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if domains < 5 {
		t.Fatalf("found %d domain packages under services/: the walk is broken", domains)
	}
	sort.Strings(hits)
	if len(hits) > 0 {
		t.Errorf("%d field-problem type(s) declared in a domain; use pkg/fielderr (Problem, List, Invalid) instead:\n%s",
			len(hits), strings.Join(hits, "\n"))
	}
}

// TestFieldProblemPattern pins what the guard sees as a copy and what it
// leaves alone.
func TestFieldProblemPattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		src  string
		want string
	}{
		{name: "the copy five domains had", src: "type FieldProblem struct {\n\tField string\n\tCode  string\n\tArgs  []any\n}", want: "FieldProblem"},
		{name: "renamed", src: "type Oops struct{ Field, Code string }", want: "Oops"},
		{name: "with a message", src: "type FieldError struct {\n\tField string\n\tCode string\n}", want: "FieldError"},
		{name: "a validation error", src: "type ValidationError struct{ Problems []int }", want: "ValidationError"},
		{name: "the vocabulary's list", src: "type X struct{ Problems fielderr.List }"},
		{name: "a line problem without a field", src: "type NoticeProblem struct {\n\tLine int\n\tCode string\n\tArgs []any\n}"},
		{name: "a code error", src: "type CodeError struct {\n\tCode string\n\tArgs []any\n}"},
		{name: "a typed field", src: "type FormField struct{ Field FormField; Code string }"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := fieldProblemTypes([]byte("package domain\n\n" + tc.src + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("flagged %v, want %q", got, tc.want)
			}
		})
	}
}
