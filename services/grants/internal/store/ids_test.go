package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// textCompare is an id column cast to text and then compared (by equality,
// inequality, IN or LIKE, whatever the alias). Such a comparison cannot
// use the column's index. A cast in a SELECT list (`id::text AS
// id`) is only how a value is read and is fine.
var textCompare = regexp.MustCompile(`(?i)\b[a-z0-9_.]*id::text\s*(=|<>|!=|\bIN\b|\bLIKE\b)`)

// TestStoreComparesIdsTyped reads the grants store's SQL: no id column is
// compared as text, so no lookup scans a table.
func TestStoreComparesIdsTyped(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no store files: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := textCompare.FindString(line); m != "" && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d compares an id as text (%q): parse the id and compare typed", f, i+1, m)
			}
		}
	}
	// the pattern itself finds what it is for
	for _, bad := range []string{"WHERE id::" + "text = $1", "AND l.program_id::" + "text <> $2", "fund_id::" + "text IN ($1)"} {
		if !textCompare.MatchString(bad) {
			t.Errorf("the check misses %q", bad)
		}
	}
	if textCompare.MatchString("SELECT id::text AS id") {
		t.Error("the check flags a cast in a SELECT list")
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		id   string
		want bool
	}{
		{"0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{"0F8FAD5B-D9CB-469F-A165-70867728950E", true},
		{"", false},
		{"1", false},
		{"0f8fad5b-d9cb-469f-a165-70867728950", false},
		{"0f8fad5bxd9cb-469f-a165-70867728950e", false},
		{"0f8fad5b-d9cb-469f-a165-70867728950g", false},
		{"' OR 1=1 --                         ", false},
	} {
		if got := store.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
