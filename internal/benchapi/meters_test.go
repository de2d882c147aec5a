package benchapi

import (
	"os"
	"testing"
)

func TestParseVmRSS(t *testing.T) {
	got, err := parseVmRSS([]byte("Name:\tanxin\nVmPeak:\t  900 kB\nVmRSS:\t   61440 kB\nThreads:\t9\n"))
	if err != nil || got != 61440*1024 {
		t.Fatalf("parseVmRSS = %d, %v; want %d", got, err, 61440*1024)
	}
	for _, bad := range []string{"Name:\tx\n", "VmRSS:\t12 MB\n", "VmRSS:\tmany kB\n"} {
		if _, err := parseVmRSS([]byte(bad)); err == nil {
			t.Errorf("parseVmRSS(%q) did not fail", bad)
		}
	}
	// This very process has a resident set.
	if n, err := residentBytes(os.Getpid()); err != nil || n <= 0 {
		t.Fatalf("residentBytes(self) = %d, %v", n, err)
	}
}

func TestParseProcs(t *testing.T) {
	got, err := ParseProcs([]string{"gateway=12", "injury=345"})
	if err != nil || len(got) != 2 || got[1] != (Proc{Name: "injury", PID: 345}) {
		t.Fatalf("ParseProcs = %+v, %v", got, err)
	}
	for _, bad := range []string{"gateway", "=12", "gateway=x", "gateway=0"} {
		if _, err := ParseProcs([]string{bad}); err == nil {
			t.Errorf("ParseProcs(%q) did not fail", bad)
		}
	}
}

// The counters see simple queries, executions of prepared statements, the
// Syncs that end each round trip of the extended protocol, and COMMITs of
// either kind.
func TestRecorderCounts(t *testing.T) {
	r := &Recorder{}
	prepared := map[string]string{}
	msg := func(typ byte, parts ...string) {
		var body []byte
		for _, p := range parts {
			body = append(append(body, p...), 0)
		}
		if typ == 'P' {
			_, _ = parseMessage('P', body, prepared)
		}
		r.count(typ, body, prepared)
	}
	msg('Q', "BEGIN")
	msg('P', "", "INSERT INTO t VALUES ($1)")
	msg('S')
	msg('B', "", "")
	msg('E', "")
	msg('S')
	msg('P', "s1", "commit")
	msg('S')
	msg('B', "", "s1")
	msg('S')
	msg('Q', "COMMIT")
	want := Counts{Statements: 4, RoundTrips: 6, Commits: 2}
	if got := r.Counts(); got != want {
		t.Fatalf("Counts = %+v, want %+v", got, want)
	}
	if d := want.Sub(Counts{Statements: 1, RoundTrips: 2, Commits: 1}); d != (Counts{Statements: 3, RoundTrips: 4, Commits: 1}) {
		t.Fatalf("Sub = %+v", d)
	}
}
