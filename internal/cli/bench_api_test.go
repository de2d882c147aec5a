package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/benchapi"
)

// TestBenchAPI runs `anxin bench api` at a tiny size on the demo seed:
// every journey and the raw replay appear in the table, each with requests
// and no errors. Nothing about speed is asserted.
func TestBenchAPI(t *testing.T) {
	env, _ := seedEnv(t)
	data := t.TempDir()
	env["ANXIN_DATA_DIR"] = data // the seed's keys, for the bench's services too
	code, out := run(t, env, "seed", "demo")
	if code != ExitOK {
		t.Fatalf("seed demo: exit %d\n%s", code, out)
	}
	logins := filepath.Join(data, "demo-logins.txt")
	if err := os.WriteFile(logins, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out = run(t, env, "bench", "api", "-c", "2", "--journey-clients", "file=3", "-n", "20", "--logins", logins)
	t.Log(out)
	if code != ExitOK {
		t.Fatalf("bench api: exit %d", code)
	}
	if !strings.Contains(out, "one filing executes") || !strings.Contains(out, "gateway filings/s ÷ raw replayed filings/s") {
		t.Errorf("no capture summary or ratio in the output")
	}
	cols := regexp.MustCompile(`\s{2,}`)
	rows := map[string][]string{}
	for line := range strings.Lines(out) {
		f := cols.Split(strings.TrimSpace(line), -1)
		if len(f) == 12 {
			rows[f[0]] = f[1:]
		}
	}
	for _, j := range append(benchapi.Journeys(), "raw PostgreSQL: one filing's captured SQL replayed") {
		r, ok := rows[j]
		// --journey-clients gives the filing, and so its raw replay, 3
		// clients; every other journey runs with -c.
		clients := "2"
		if j == benchapi.Journeys()[0] || strings.HasPrefix(j, "raw ") {
			clients = "3"
		}
		switch {
		case !ok:
			t.Errorf("no row for %q", j)
		case r[0] != clients:
			t.Errorf("%s: %s clients, want %s", j, r[0], clients)
		case r[1] != "20":
			t.Errorf("%s: %s requests, want 20", j, r[1])
		case r[2] != "0":
			t.Errorf("%s: %s errors", j, r[2])
		case j == benchapi.Journeys()[0] && (r[7] == "-" || r[9] == "-" || !strings.HasPrefix(r[10], "serve all ")):
			// Through the recording relay every journey counts its
			// database work, and this process's memory is watched.
			t.Errorf("%s: statements %s, commits %s, peak RSS %q", j, r[7], r[9], r[10])
		}
	}
}

// TestBenchFsync times a few flushes in a scratch folder and leaves
// nothing behind.
func TestBenchFsync(t *testing.T) {
	dir := t.TempDir()
	code, out := run(t, map[string]string{}, "bench", "fsync", "--dir", dir, "-n", "5")
	if code != ExitOK || !regexp.MustCompile(`5 times: \d+/s; p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms`).MatchString(out) {
		t.Fatalf("bench fsync: exit %d\n%s", code, out)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left %d files behind", len(left))
	}
	if code, _ := run(t, map[string]string{}, "bench", "fsync", "--dir", dir, "-n", "0"); code != ExitUsage {
		t.Fatalf("-n 0: exit %d, want a usage error", code)
	}
}

func TestParseLogins(t *testing.T) {
	got, err := benchapi.ParseLogins("demo logins (演示账号):\n  USERNAME    ROLE     PASSWORD        WHO\n" +
		"  officer     officer  efz4-7rqk-g3jg  张警官 (member 张建国)\n  admin  admin  (already existed, unchanged)  吴管理员\n\nopen http://x/\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["officer"] != "efz4-7rqk-g3jg" {
		t.Errorf("logins = %v", got)
	}
	if _, err := benchapi.ParseLogins("demo data already present: nothing changed\n"); err == nil {
		t.Error("a seed output without logins was accepted")
	}
}
