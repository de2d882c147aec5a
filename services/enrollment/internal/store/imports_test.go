package store_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStoreBuildsNoEvents holds the command shape: internal/commands builds
// the events and audit views (commands.Announce) and the store only writes
// what it is given, so no file of the store imports internal/events.
func TestStoreBuildsNoEvents(t *testing.T) {
	const forbidden = "github.com/anxin-welfare/anxin/services/enrollment/internal/events"
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == forbidden {
				t.Errorf("%s imports %s: the store writes the events internal/commands builds", name, p)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no store files found to check")
	}
}
