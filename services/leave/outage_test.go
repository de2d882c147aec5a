package leave_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/services/leave"
)

// TestDatabaseOutageIs503: while the service's PostgreSQL is stopped (its
// connections cut, new ones refused, as during a restart or a failover),
// reads and writes answer 503 unavailable with Retry-After, not 500
// internal; once it is back they work again, and the refused write left
// nothing behind.
func TestDatabaseOutageIs503(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	u, err := url.Parse(env.Deps.Config.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	// The service reaches PostgreSQL through a switch this test can open.
	sw := newSwitch(t, u.Host)
	u.Host = sw.addr
	env.Deps.Config.DatabaseURL = u.String()
	svc, err := leave.New(context.Background(), env.Deps, leave.Config{HTTPAddr: "127.0.0.1:0", SecondLevelAboveDays: 5})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	h := svc.Handler()
	facility := map[string]any{"name": "北戴河疗养院", "location": "秦皇岛"}
	if w := env.Do(t, h, &admin, "GET", "/api/v1/leave/recuperation/facilities", nil); w.Code != http.StatusOK {
		t.Fatalf("before the outage: %d %s", w.Code, w.Body)
	}

	sw.stop()
	for _, tc := range []struct {
		method string
		body   any
	}{{"GET", nil}, {"POST", facility}} {
		w := env.Do(t, h, &admin, tc.method, "/api/v1/leave/recuperation/facilities", tc.body)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"code":"unavailable"`) {
			t.Fatalf("%s during the outage = %d (Retry-After %q) %s", tc.method, w.Code, w.Header().Get("Retry-After"), w.Body)
		}
	}

	sw.start()
	if w := env.Do(t, h, &admin, "GET", "/api/v1/leave/recuperation/facilities", nil); w.Code != http.StatusOK || w.Body.String() != `{"items":[],"next":""}` {
		t.Fatalf("after the outage: %d %s (the refused write must have left nothing)", w.Code, w.Body)
	}
	if w := env.Do(t, h, &admin, "POST", "/api/v1/leave/recuperation/facilities", facility); w.Code != http.StatusCreated {
		t.Fatalf("a write after the outage: %d %s", w.Code, w.Body)
	}
}

// dbSwitch forwards TCP connections from addr to a PostgreSQL server until
// stopped: stop cuts every connection and refuses new ones (nothing
// listens), start listens on the same address again.
type dbSwitch struct {
	t      *testing.T
	addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newSwitch(t *testing.T, target string) *dbSwitch {
	t.Helper()
	s := &dbSwitch{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(s.stop)
	return s
}

func (s *dbSwitch) start() {
	s.t.Helper()
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.serve(ln)
}

func (s *dbSwitch) serve(ln net.Listener) {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", s.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			s.mu.Lock()
			if s.ln != ln {
				// stop ran while this connection was being set up (between
				// Accept and here): it must not outlive the outage.
				s.mu.Unlock()
				_ = c.Close()
				_ = up.Close()
				return
			}
			s.conns = append(s.conns, c, up)
			s.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
}

func (s *dbSwitch) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.t.Log(err)
		}
		s.ln = nil
	}
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
}
