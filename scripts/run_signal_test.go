// Package scripts_test checks the shell scripts behind the Makefile.
package scripts_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serverEnv makes the test binary play `anxin serve all`: it writes its pid
// and its parent's (the script's) to the file named, waits for SIGINT or
// SIGTERM as the real server does, and writes how it stopped.
const serverEnv = "ANXIN_TEST_FAKE_SERVER"

func TestMain(m *testing.M) {
	if log := os.Getenv(serverEnv); log != "" {
		fakeServer(log)
		return
	}
	os.Exit(m.Run())
}

func fakeServer(log string) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	appendLine(log, fmt.Sprintf("started %d %d", os.Getpid(), os.Getppid()))
	s := <-sig
	appendLine(log, "stopped by "+s.String())
}

func appendLine(name, line string) {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		panic(err)
	}
}

// TestRunStopsWhicheverProcessIsSignalled starts `make run` on a script
// that serves as scripts/run.sh does (run_until_stopped from lib.sh), then
// signals one process alone — make, or the script — and expects the
// server stopped, the script's EXIT trap run (where run.sh stops
// PostgreSQL) and make gone.
func TestRunStopsWhicheverProcessIsSignalled(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is not installed")
	}
	lib, err := filepath.Abs("lib.sh")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		target string // "make" or "script"
		sig    syscall.Signal
		want   string
	}{
		{name: "SIGINT to make alone", target: "make", sig: syscall.SIGINT, want: "stopped by interrupt"},
		{name: "SIGTERM to make alone", target: "make", sig: syscall.SIGTERM, want: "stopped by interrupt"},
		{name: "SIGINT to the script alone", target: "script", sig: syscall.SIGINT, want: "stopped by interrupt"},
		{name: "SIGTERM to the script alone", target: "script", sig: syscall.SIGTERM, want: "stopped by interrupt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			log := filepath.Join(dir, "log")
			script := filepath.Join(dir, "run.sh")
			body := "#!/usr/bin/env bash\nsource " + strconv.Quote(lib) + "\n" +
				"trap 'echo exit-trap >> " + strconv.Quote(log) + "' EXIT\n" +
				"run_until_stopped " + strconv.Quote(self) + "\n"
			if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte("run:\n\t@"+script+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("make", "-s", "-C", dir, "run")
			cmd.Env = append(os.Environ(), serverEnv+"="+log)
			// Its own process group: nothing but the one pid is signalled.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // only if the test failed half-way
			})

			var server, shell int
			waitFor(t, "the server to start", func() bool {
				b, _ := os.ReadFile(log)
				_, err := fmt.Sscanf(string(b), "started %d %d", &server, &shell)
				return err == nil
			})
			target := cmd.Process.Pid
			if tc.target == "script" {
				target = shell
			}
			if err := syscall.Kill(target, tc.sig); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the server to stop and the script to exit", func() bool {
				b, _ := os.ReadFile(log)
				return strings.Contains(string(b), tc.want) && strings.Contains(string(b), "exit-trap")
			})
			select {
			case err := <-done:
				t.Logf("make exited: %v", err) // a signalled script's status is its own to choose
			case <-time.After(30 * time.Second):
				t.Fatalf("make still runs; output: %s", out.String())
			}
			if err := syscall.Kill(server, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("the server (pid %d) still runs: %v", server, err)
			}
		})
	}
}

// waitFor polls cond until it holds, failing after 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
