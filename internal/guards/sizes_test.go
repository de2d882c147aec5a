package guards_test

import (
	"bytes"
	"path"
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
	packages := map[string]int{}
	var problems []string
	eachGoFile(t, func(rel string, src []byte) {
		if strings.HasSuffix(rel, ".gen.go") {
			return
		}
		n := bytes.Count(src, []byte("\n"))
		if n > maxFileLines {
			problems = append(problems, rel+": "+itoa(n)+" lines, more than "+itoa(maxFileLines))
		}
		if !strings.HasSuffix(rel, "_test.go") {
			packages[path.Dir(rel)] += n
		}
	})
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
