package guards_test

import (
	"regexp"
	"strings"
	"testing"
)

// keyCast finds a key column cast to text and compared, in either order:
// a key cast to text ("id" followed by a text cast) on either side of =, IN or
// LIKE. Such a comparison is on text, so the
// key's index (a uuid or bigint btree) cannot serve it and the query scans
// the table: 130 ms against 0.02 ms at 100,000 rows. Parse the value and
// compare typed instead. A cast in a select list (of the key AS id) is
// harmless and not matched.
var keyCast = regexp.MustCompile(`(?i)\b[a-z_.]*id::text\s*(=|<>|!=|<=|>=|<|>|\bin\b|\blike\b)|(=|<>|!=|<|>)\s*[a-z_.]*\bid::text\b|(=|<>|!=|<|>)\s*[a-z_.]*_id::text\b`)

func TestNoTextCastOnKeys(t *testing.T) {
	t.Parallel()
	eachGoFile(t, func(rel string, src []byte) {
		if strings.HasSuffix(rel, "_test.go") {
			return
		}
		var hits []string
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if keyCast.MatchString(line) {
				hits = append(hits, rel+":"+itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
		if len(hits) > 0 {
			t.Errorf("%d key(s) cast to text in a comparison (compare the typed key; its index cannot serve text):\n%s",
				len(hits), strings.Join(hits, "\n"))
		}
	})
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// TestKeyCastPattern pins what the guard matches and what it leaves.
// asText is the cast the pattern looks for, spelt apart so that this file
// does not itself read as a cast key.
const asText = "::" + "text"

func TestKeyCastPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want bool
	}{
		{name: "primary key", line: "WHERE id" + asText + " = $1", want: true},
		{name: "qualified foreign key", line: "AND c.incident_id" + asText + " = $6", want: true},
		{name: "reversed", line: "WHERE $1 = a.id" + asText, want: true},
		{name: "in list", line: "WHERE id" + asText + " IN (SELECT x FROM y)", want: true},
		{name: "select list", line: "SELECT id" + asText + " AS id, name FROM facilities", want: false},
		{name: "returning", line: "RETURNING event_id" + asText, want: false},
		{name: "typed comparison", line: "WHERE m.id = $1::uuid", want: false},
		{name: "array parameter", line: "FROM unnest($2::uuid[], $3::text[])", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := keyCast.MatchString(tt.line); got != tt.want {
				t.Errorf("keyCast.MatchString(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}
