package cli

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/freeport"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// run executes the command line with a clean Anxin environment.
func run(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	setEnv(t, env)
	var out, errb bytes.Buffer
	code := Execute(args, &out, &errb)
	return code, out.String() + errb.String()
}

// setEnv clears the variables a run reads and sets env, for the test.
func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range []string{"DATABASE_URL", "NATS_URL", "ANXIN_ENV", "ANXIN_LOG_LEVEL", "ANXIN_HTTP_ADDR", "ANXIN_NATS_PORT", "ANXIN_KEYS_FILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("ANXIN_DATA_DIR", t.TempDir())
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// 8. Bad config, unreachable PostgreSQL or NATS at start: a clear message
// naming what is wrong and an exit code, never a panic.
func TestStartFailuresAreClear(t *testing.T) {
	dead := strconv.Itoa(freeport.Loopback(t))
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		wantText []string
	}{
		{"no target", nil, []string{"serve"}, ExitUsage, []string{"name what to serve"}},
		{"unknown target", nil, []string{"serve", "payroll"}, ExitUsage, []string{`unknown target "payroll"`}},
		{"bad flag", nil, []string{"serve", "--frobnicate"}, ExitUsage, []string{"frobnicate"}},
		{
			"every config problem listed",
			map[string]string{"ANXIN_ENV": "staging", "ANXIN_LOG_LEVEL": "loud", "ANXIN_NATS_PORT": "port", "ANXIN_GRANTS_SCHEMA": "Bad-Name"},
			[]string{"serve", "all"}, ExitUsage,
			[]string{"ANXIN_ENV", "ANXIN_LOG_LEVEL", "ANXIN_NATS_PORT", "DATABASE_URL is not set", "ANXIN_GRANTS_SCHEMA"},
		},
		{
			"production without keys or TLS",
			map[string]string{"ANXIN_ENV": "production", "DATABASE_URL": "postgres://u@h/db?sslmode=disable"},
			[]string{"serve", "grants"}, ExitUsage, []string{"TLS"},
		},
		{
			"postgres unreachable",
			map[string]string{"DATABASE_URL": "postgres://postgres:hunter2@127.0.0.1:" + dead + "/anxin?sslmode=disable"},
			[]string{"serve", "all"}, ExitUnreachable, []string{"postgres unreachable", "127.0.0.1:" + dead},
		},
		{
			"nats unreachable",
			map[string]string{"DATABASE_URL": pgtest.URL(t), "NATS_URL": "nats://127.0.0.1:" + dead},
			[]string{"serve", "enrollment"}, ExitUnreachable, []string{"nats unreachable", "127.0.0.1:" + dead},
		},
		{"version", nil, []string{"version"}, ExitOK, []string{"anxin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := run(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; output:\n%s", code, tt.wantCode, out)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(out, w) {
					t.Errorf("output does not say %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "hunter2") {
				t.Errorf("the database password leaked:\n%s", out)
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
				t.Errorf("a panic:\n%s", out)
			}
		})
	}
}

func TestConfigListsEveryVariable(t *testing.T) {
	code, out := run(t, nil, "config")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, v := range []string{"DATABASE_URL", "NATS_URL", "ANXIN_DATA_DIR", "ANXIN_HTTP_ADDR", "ANXIN_KEYS_FILE", "ANXIN_ENV", "ANXIN_GRANTS_SCHEMA"} {
		if !strings.Contains(out, v) {
			t.Errorf("anxin config does not list %s", v)
		}
	}
}

func TestResolveTargets(t *testing.T) {
	t.Parallel()
	got, err := resolveTargets([]string{"gateway", "grants", "grants"})
	if err != nil || strings.Join(got, ",") != "grants,gateway" {
		t.Fatalf("resolveTargets = %v, %v", got, err)
	}
	got, _ = resolveTargets([]string{"leave", "all"})
	if len(got) != len(ServiceNames) {
		t.Fatalf("all = %v", got)
	}
}
