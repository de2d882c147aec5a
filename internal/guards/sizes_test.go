package guards_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The house stays one a reader can find their way in (issue 15): no Go
// file over maxFileLines, tests included, and no package over
// maxPackageLines of code that is not a test; generated code (*.gen.go)
// counts for neither.
const (
	maxFileLines    = 800
	maxPackageLines = 4000
)

func TestFilesAndPackagesStaySmall(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	packages := map[string]int{}
	var problems []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".gen.go") {
			return nil
		}
		b, err := os.ReadFile(path) //nolint:gosec // the repository's own files
		if err != nil {
			return err
		}
		n := bytes.Count(b, []byte("\n"))
		rel, _ := filepath.Rel(root, path)
		if n > maxFileLines {
			problems = append(problems, rel+": "+itoa(n)+" lines, more than "+itoa(maxFileLines))
		}
		if !strings.HasSuffix(path, "_test.go") {
			packages[filepath.Dir(rel)] += n
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, n := range packages {
		if n > maxPackageLines {
			problems = append(problems, dir+": "+itoa(n)+" lines outside tests, more than "+itoa(maxPackageLines))
		}
	}
	if len(packages) < 50 {
		t.Fatalf("found %d packages: the walk is not over the repository", len(packages))
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
