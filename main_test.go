package main

import (
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestBinaryEmbedsTimezoneData guards the image: it is built FROM scratch,
// with no /usr/share/zoneinfo, and every page shows times in Asia/Shanghai.
// The binary finds the zone only because this package imports time/tzdata,
// so removing that import must fail here rather than in production.
func TestBinaryEmbedsTimezoneData(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatalf("parse main.go: %v", err)
	}
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "time/tzdata" {
			return
		}
	}
	t.Fatal(`main.go no longer imports time/tzdata: the image (FROM scratch) would not know Asia/Shanghai`)
}
